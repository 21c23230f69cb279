import ArgumentParser
import WeaverBenchAdapters

/// `weaver bench grpc`: the same load as `weaver bench thrift`, against a gRPC echo server.
struct BenchGRPCCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grpc",
    abstract: "Call a gRPC echo server (echo.Echo/Echo of echo.proto) and report QPS and latency.",
    discussion: "Options and report as `weaver bench thrift`; each connection is one HTTP/2 connection (grpc-swift-2)."
  )

  @OptionGroup var load: EchoLoadOptions
  @OptionGroup(title: "Telemetry (to measure what it costs)") var telemetry: TelemetryOptions

  func run() async throws {
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench", logLevel: .warning)
    try await processTelemetry.run {
      let plan = try load.loadedPlan(load.plan, middlewares: processTelemetry.clientMiddlewares(system: "grpc"))
      try await load.report { progress in try await GRPCLoadGenerator(plan: plan).run(progress: progress) }
    }
  }
}
