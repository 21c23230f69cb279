// The README's code sample, compiled by the build and compared with the README by
// `DocSnippetTests`: edit it here, then paste it there.
// snippet: readme
import Logging
import WeaverCore
import WeaverRPC
import WeaverThrift

struct MyCalculator: Calculator.ServiceProtocol {
  func divide(dividend: Int64, divisor: Int64) async throws -> Int64 {
    guard divisor != 0 else { throw DivideByZero(message: "divide by zero") }
    return dividend / divisor
  }
}

/// Serves until SIGTERM or SIGINT, then drains the calls in flight and returns.
func serveCalculator() async throws {
  let logger = Logger(label: "calculator")
  let server = ThriftServer(serving: [Calculator.service(MyCalculator())],
                            configuration: ThriftServerConfiguration(port: 9090))
  try await server.runUntilSignalled(logger: logger) { address in print("listening on \(address.hostAndPort)") }
}

/// Calls it, from another process (TTHeader + binary; `.framed` for Apache Thrift servers).
func divideRemotely(at address: String = "127.0.0.1:9090") async throws -> Int64 {
  let client = try ThriftClient(addresses: [address])
  defer { client.close() }
  let calculator = Calculator.Client(channel: client)
  return try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) {
    try await calculator.divide(dividend: 84, divisor: 2)   // 42; the server sees release=canary
  }
}
// end-snippet

/// The README sample's pieces, for tests that run them.
public enum ReadmeSample {
  public static var calculatorService: ThriftService { Calculator.service(MyCalculator()) }
  public static func divide(at address: String) async throws -> Int64 { try await divideRemotely(at: address) }
}
