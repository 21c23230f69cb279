import ArgumentParser
import Foundation
import WeaverBench
import WeaverCore
import WeaverGovernance

/// The options every echo benchmark shares (`weaver bench thrift|grpc|http`): whom to call,
/// how hard, for how long, under which rules; and how to print the report.
struct EchoLoadOptions: ParsableArguments {
  @Option(help: "The echo server, host:port; several, comma-separated, are balanced over.")
  var target: String

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

  @Option(help: ArgumentHelp("Governance rules (service.yaml) the client applies to every call.", valueName: "file"))
  var rules: String?

  @Option(help: ArgumentHelp("Persistent metadata every call carries (repeatable).", valueName: "key=value"))
  var metadata: [String] = []

  @Flag(help: "Print the report as JSON on standard output (progress still goes to standard error).")
  var json = false

  @Flag(help: "No progress line.")
  var quiet = false

  /// The plan these options describe (the Thrift transport and protocol left at defaults).
  var plan: ThriftBenchPlan {
    var plan = ThriftBenchPlan(
      target: target, connections: connections, concurrency: concurrency, rate: rate, duration: duration.duration,
      warmup: warmup.duration, payload: payload, timeout: timeout.duration)
    for pair in metadata {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2 { plan.metadata[parts[0]] = parts[1] }
    }
    return plan
  }

  func validate() throws {
    do {
      try plan.validate()
    } catch {
      throw ValidationError(error.description)
    }
    for pair in metadata where !pair.contains("=") || pair.hasPrefix("=") {
      throw ValidationError("--metadata takes key=value, not '\(pair)'")
    }
  }

  /// The plan with its rules loaded and `middlewares` on every call.
  func loadedPlan(_ plan: ThriftBenchPlan, middlewares: [any ClientMiddleware]) throws -> ThriftBenchPlan {
    var plan = plan
    plan.middlewares = middlewares
    if let rules {
      do {
        plan.rules = try RulesFile.load(rules)
      } catch let error as RuleSetError {
        throw CommandFailure(description: "\(error)")
      }
    }
    return plan
  }

  /// Runs `generate` with a progress line (unless quiet) and prints its report.
  func report(_ generate: (_ progress: (@Sendable (ThriftBenchProgress) -> Void)?) async throws -> ThriftBenchReport) async throws {
    let progress = ProgressLine()
    let show: @Sendable (ThriftBenchProgress) -> Void = { (update: ThriftBenchProgress) in progress.show(update.line) }
    let report = try await generate(quiet ? nil : show)
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
