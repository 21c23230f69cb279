import ArgumentParser
import WeaverBenchAdapters

/// `weaver bench http`: the same load as `weaver bench thrift`, against an HTTP echo server.
struct BenchHTTPCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "http",
    abstract: "Call an HTTP echo server (POST /echo, JSON {\"message\": …}) and report QPS and latency.",
    discussion: "Options and report as `weaver bench thrift`; connections are HTTP/1.1 keep-alive connections (async-http-client)."
  )

  @OptionGroup var load: EchoLoadOptions
  @OptionGroup(title: "Telemetry (to measure what it costs)") var telemetry: TelemetryOptions

  func run() async throws {
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench", logLevel: .warning)
    try await processTelemetry.run {
      let plan = try load.loadedPlan(load.plan, middlewares: processTelemetry.clientMiddlewares(system: "http"))
      try await load.report { progress in try await HTTPLoadGenerator(plan: plan).run(progress: progress) }
    }
  }
}
