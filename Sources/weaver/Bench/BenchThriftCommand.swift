import ArgumentParser
import WeaverCore
import Foundation
import NIOPosix
import WeaverBench
import WeaverGovernance
import WeaverRPC
import WeaverThrift

/// `weaver bench thrift`: constant-rate or closed-loop load against a Thrift echo server.
struct BenchThriftCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "thrift",
    abstract: "Call an echo server (Sources/WeaverBench/Echo.thrift) and report QPS and latency.",
    discussion: """
      With --rate, calls start on a fixed schedule and latency counts from each call's \
      scheduled start, so server stalls are not hidden (coordinated omission corrected). \
      Without it, each of the --concurrency workers calls again as soon as it has an answer.
      """
  )

  @Option(help: "The echo server, host:port; several, comma-separated, are balanced over.")
  var target: String

  @Option(help: "Transport: ttheader, framed, theader or buffered.")
  var transport: ThriftTransport = .ttheader

  @Option(help: "Protocol: binary or compact.")
  var `protocol`: ProtocolArgument = .binary

  @Option(help: "Connections to open.")
  var connections: Int = 2

  @Option(help: "Calls in flight at most.")
  var concurrency: Int = 32

  @Option(help: "Calls started per second (constant rate); omit for a closed loop.")
  var rate: Int?

  @Option(help: "How long to measure: 10s, 500ms, 1m.")
  var duration: DurationArgument = DurationArgument(argument: "10s")!

  @Option(help: "How long to run before measuring.")
  var warmup: DurationArgument = DurationArgument(argument: "1s")!

  @Option(help: "Bytes in each echoed message.")
  var payload: Int = 128

  @Option(help: "Per-call deadline.")
  var timeout: DurationArgument = DurationArgument(argument: "5s")!

  @Option(help: "Event loop threads for the client (default: one per core).")
  var threads: Int?

  @Option(help: ArgumentHelp("Governance rules (service.yaml) the client applies to every call.", valueName: "file"))
  var rules: String?

  @Option(help: ArgumentHelp("Persistent metadata every call carries (repeatable).", valueName: "key=value"))
  var metadata: [String] = []

  @Flag(help: "Print the report as JSON on standard output (progress still goes to standard error).")
  var json = false

  @Flag(help: "No progress line.")
  var quiet = false

  @OptionGroup(title: "Telemetry (to measure what it costs)") var telemetry: TelemetryOptions

  private var plan: ThriftBenchPlan {
    var plan = ThriftBenchPlan(
      target: target, transport: transport, protocol: `protocol`.id, connections: connections,
      concurrency: concurrency, rate: rate, duration: duration.duration, warmup: warmup.duration,
      payload: payload, timeout: timeout.duration)
    for pair in metadata {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2 { plan.metadata[parts[0]] = parts[1] }
    }
    return plan
  }

  /// Bad arguments are reported with this command's usage.
  func validate() throws {
    do {
      try plan.validate()
    } catch {
      throw ValidationError(error.description)
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    for pair in metadata where !pair.contains("=") || pair.hasPrefix("=") {
      throw ValidationError("--metadata takes key=value, not '\(pair)'")
    }
  }

  func run() async throws {
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench", logLevel: .warning)
    try await processTelemetry.run { try await measure(middlewares: processTelemetry.clientMiddlewares) }
  }

  private func measure(middlewares: [any ClientMiddleware]) async throws {
    var plan = self.plan
    plan.middlewares = middlewares
    if let rules {
      do {
        plan.rules = try RulesFile.load(rules)
      } catch let error as RuleSetError {
        throw CommandFailure(description: "\(error)")
      }
    }
    let progress = ProgressLine()
    let show: @Sendable (ThriftBenchProgress) -> Void = { (update: ThriftBenchProgress) in progress.show(update.line) }
    let group = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
    let report = try await ThriftLoadGenerator(plan: plan, eventLoopGroup: group).run(progress: quiet ? nil : show)
    progress.finish()
    print(json ? try report.json() : report.text)
  }
}

/// Writes a progress line to standard error: redrawn in place on a terminal, one line per
/// update otherwise.
final class ProgressLine: Sendable {
  private let inPlace = isatty(STDERR_FILENO) != 0

  func show(_ line: String) {
    let text = inPlace ? "\r\u{1B}[2K" + line : line + "\n"
    FileHandle.standardError.write(Data(text.utf8))
  }

  func finish() {
    if inPlace { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }
}
