// docs/runtime.md's code samples, compiled by the build and compared with the page by
// `DocSnippetTests`: edit them here, then paste them there.
import Logging
import ServiceLifecycle
import WeaverCore
import WeaverRPC
import WeaverThrift

struct MyStats: Stats.ServiceProtocol {
  func callsServed() async throws -> Int64 { 0 }
}

func runtimeGuideServing(logger: Logger) async throws {
  // snippet: runtime-serving
  let server = ThriftServer(
    serving: [Calculator.service(MyCalculator()), Stats.service(MyStats())],   // several services, one port
    configuration: ThriftServerConfiguration(host: "0.0.0.0", port: 9090))
  try await ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm], logger: logger).run()
  // or, when the process does nothing else:
  try await server.runUntilSignalled(logger: logger) { address in print("listening on \(address.hostAndPort)") }
  // end-snippet
}

func runtimeGuideCalling() async throws -> Int64 {
  // snippet: runtime-calling
  let client = try ThriftClient(
    addresses: ["10.0.0.7:9090", "10.0.0.8:9090"],
    configuration: ThriftClientConfiguration(transport: .ttheader, protocol: .binary, rpcTimeout: .seconds(1)))
  let calculator = Calculator.Client(channel: client)
  let quotient = try await calculator.divide(dividend: 84, divisor: 2)
  // end-snippet
  return quotient
}

func runtimeGuideMetadata(calculator: Calculator.Client<ThriftClient>) async throws -> (Int64, String?, String?) {
  // snippet: runtime-metadata
  let quotient = try await CallContext.with(metadata: Metadata(transient: ["hop": "1"], persistent: ["release": "canary"])) {
    try await calculator.divide(dividend: 84, divisor: 2)
  }
  // in the server's handler:
  let release = CallContext.current?.metadata.persistent["release"]     // "canary"
  let hop = CallContext.current?.metadata.transientUpstream["hop"]      // "1"
  // end-snippet
  return (quotient, release, hop)
}

func runtimeGuideTLS() throws -> ThriftTLSConfiguration {
  // snippet: runtime-tls
  let tls = try ThriftTLSConfiguration.pem(certificateChain: "server.pem", privateKey: "server.key", trustRoots: "ca.pem")
  // end-snippet
  return tls
}

func runtimeGuideMemory() {
  // snippet: runtime-memory
  ProcessMemory.returnLargeBlocksToTheSystem()   // once, first thing in main
  // end-snippet
}
