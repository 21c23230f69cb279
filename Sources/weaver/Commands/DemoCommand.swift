import ArgumentParser
import Foundation
import NIOCore
import WeaverCodegen
import WeaverOTel
import WeaverExampleModels
import WeaverThrift

/// `weaver demo`: CloudWeaver end to end on the example feed service.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run the whole CloudWeaver system on this machine, with its console, and walk through a scenario.",
    subcommands: [
      DemoSystemCommand.self, DemoTourCommand.self, DemoServerCommand.self, DemoClientCommand.self, DemoUsersCommand.self, DemoGatewayCommand.self,
    ],
    defaultSubcommand: DemoSystemCommand.self)
}

/// `weaver demo tour`: generates Swift from `Examples/Models/Feed.thrift`,
/// encodes and decodes a value of the generated types in both protocols, then starts the
/// feed service behind a gateway and a client, three processes that talk over loopback
/// (TTHeader) with metadata and deadlines flowing through and one trace across all three
/// (exported over OTLP: to the collector `OTEL_EXPORTER_OTLP_ENDPOINT` names, else to the
/// demo's own, which prints it as a tree), and shuts the services down.
struct DemoTourCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour", abstract: "Generate, encode, then run a service and a client in two processes.")

  @Option(help: "The example IDL to generate from.")
  var idl: String = "Examples/Models/Feed.thrift"

  func run() async throws {
    DemoOutput.line("CloudWeaver demo\n")
    try generate()
    try roundTrip()
    try await runServiceAndClient()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-demo-rules-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await DemoGovernance(directory: directory).run()
    try await DemoControlPlane(directory: directory.appendingPathComponent("control-plane")).run()
    DemoOutput.line("\nAll steps succeeded.")
  }

  private func generate() throws {
    DemoOutput.line("1. weaver gen \(idl)")
    guard FileManager.default.fileExists(atPath: idl) else {
      throw ValidationError("\(idl) not found: run the demo from the CloudWeaver checkout, or pass --idl PATH")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-demo-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = try ThriftCodegenRunner.run(ThriftCodegenRequest(files: [idl], outputDirectory: directory.path))
    for path in report.generated {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let declarations = text.split(separator: "\n").filter {
        $0.hasPrefix("public struct") || $0.hasPrefix("public enum") || $0.hasPrefix("public let") || $0.hasPrefix("public typealias")
      }
      DemoOutput.line("   → \((path as NSString).lastPathComponent): \(text.split(separator: "\n").count) lines, \(declarations.count) top-level declarations")
      for declaration in declarations { DemoOutput.line("     \(declaration.replacingOccurrences(of: " {", with: ""))") }
    }
  }

  private func roundTrip() throws {
    let page = FeedPage(posts: DemoFeedService.posts, nextCursor: "after-12")
    DemoOutput.line("\n2. A FeedPage with \(page.posts.count) posts, encoded and decoded with the generated code")
    for `protocol` in ThriftProtocolID.allCases {
      let bytes = page.encoded(protocol: `protocol`)
      let decoded = try FeedPage(decoding: bytes, protocol: `protocol`)
      guard decoded == page else { throw ValidationError("\(`protocol`) round trip changed the value") }
      let name = `protocol`.description.padding(toLength: 8, withPad: " ", startingAt: 0)
      DemoOutput.line("   \(name) \(String(bytes.readableBytes).leftPadded(4)) bytes  \(bytes.hexPrefix())  → decoded: equal ✓")
    }
  }

  private func runServiceAndClient() async throws {
    DemoOutput.line("\n3. The feed service behind a gateway, and a client: three processes over loopback (TTHeader + binary)")
    let environment = ProcessInfo.processInfo.environment
    if WeaverOTelOptions(serviceName: "weaver-demo").namesCollector(environment: environment) {
      try await runChain(telemetry: [])
      let endpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? "your collector"
      DemoOutput.line("   The three processes exported their traces, metrics and logs to \(endpoint) (OTLP).")
      return
    }
    // No collector named: the processes export to the demo's own, which prints a trace.
    let collector = DemoTraceCollector()
    try await collector.serve { endpoint in
      try await runChain(telemetry: ["--otlp-endpoint", endpoint, "--otlp-protocol", "http/json"])
    }
    let traces = collector.telemetry.recentTraces(limit: 10_000)
    guard let summary = traces.first(where: { $0.service == "demo-client" && $0.name.hasSuffix("/getFeed") }),
      let root = collector.telemetry.trace(summary.traceID).first(where: \.parentSpanID.isEmpty)
    else { throw DemoError("the demo's collector received no trace of the getFeed call (\(traces.count) traces)") }
    DemoOutput.line(
      "\n   The processes exported \(traces.reduce(0) { $0 + $1.spans }) spans in \(traces.count) traces over OTLP/HTTP JSON; the trace of getFeed, across all three:")
    DemoOutput.line("   trace \(root.traceID)")
    for line in DemoTraceCollector.tree(of: collector.telemetry.trace(root.traceID), rootedAt: root) { DemoOutput.line("   \(line)") }
  }

  /// The store, the gateway in front of it, and a client calling the gateway, each a process
  /// given `telemetry` arguments; the servers are stopped (gracefully) whatever happens.
  private func runChain(telemetry: [String]) async throws {
    let cache = await DemoRedis.storeArguments(environment: ProcessInfo.processInfo.environment) ?? []
    try await withDemoServer(label: "store", ["--service-name", "feed-store"] + cache + telemetry) { store in
      try await withDemoServer(label: "gateway", ["--service-name", "feed-gateway", "--upstream", store] + telemetry) { gateway in
        let client = try DemoProcess(label: "client", arguments: ["demo", "client", "--target", gateway] + telemetry)
        let clientStatus = await client.exitStatus()
        guard clientStatus == 0 else { throw DemoError("the client process failed with status \(clientStatus)") }
      }
    }
  }

  private func withDemoServer(label: String, _ arguments: [String], _ body: (String) async throws -> Void) async throws {
    let server = try DemoProcess(label: label, arguments: ["demo", "server", "--port", "0"] + arguments)
    do {
      let listening = try await server.line(startingWith: "listening on ")
      try await body(String(listening.dropFirst("listening on ".count)))
    } catch {
      _ = await server.stop()
      throw error
    }
    let status = await server.stop()
    guard status == 0 else { throw DemoError("the \(label) process exited with status \(status)") }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
