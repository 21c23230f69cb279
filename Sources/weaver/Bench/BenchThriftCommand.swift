import ArgumentParser
import NIOPosix
import WeaverBench
import WeaverCore
import WeaverRPC
import WeaverThrift

/// `weaver bench thrift`: constant-rate or closed-loop load against a Thrift echo server.
struct BenchThriftCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "thrift",
    abstract: "Call a Thrift echo server (Sources/WeaverBench/Echo.thrift) and report QPS and latency.",
    discussion: """
      With --rate, calls start on a fixed schedule and latency counts from each call's \
      scheduled start, so server stalls are not hidden (coordinated omission corrected). \
      Without it, each of the --concurrency workers calls again as soon as it has an answer.
      """
  )

  @OptionGroup var load: EchoLoadOptions

  @Option(help: "Transport: ttheader, framed, theader or buffered.")
  var transport: ThriftTransport = .ttheader

  @Option(help: "Protocol: binary or compact.")
  var `protocol`: ProtocolArgument = .binary

  @Option(help: "Event loop threads for the client (default: one per core).")
  var threads: Int?

  @OptionGroup(title: "Telemetry (to measure what it costs)") var telemetry: TelemetryOptions

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() async throws {
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench", logLevel: .warning)
    try await processTelemetry.run {
      var plan = try load.loadedPlan(load.plan, middlewares: processTelemetry.clientMiddlewares)
      plan.transport = transport
      plan.protocol = `protocol`.id
      let group = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
      try await load.report { progress in try await ThriftLoadGenerator(plan: plan, eventLoopGroup: group).run(progress: progress) }
    }
  }
}
