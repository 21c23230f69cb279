import CoreMetrics
import Logging
import WeaverTelemetry

/// swift-otel's diagnostic log handler: forwards its messages to standard error and turns
/// the ones that report lost telemetry into metrics — swift-otel says that spans or log
/// records were dropped (a full queue) and that an export failed only in its diagnostic
/// log, so this is where they can be counted (`weaver_otel_dropped_total`,
/// `weaver_otel_export_failures_total`). It sees warnings whatever the level set for
/// printing, so an operator who quiets swift-otel still gets the counts.
struct ExportHealthLogHandler: LogHandler {
  private var printer: any LogHandler
  private let counters: ExportHealthCounters
  var metadata: Logger.Metadata = [:]

  /// The level for printing; counting looks at warnings whatever it is.
  private var printLevel: Logger.Level

  init(printer: any LogHandler, counters: ExportHealthCounters, printLevel: Logger.Level = .warning) {
    self.printer = printer
    self.counters = counters
    self.printLevel = printLevel
  }

  var logLevel: Logger.Level {
    get { min(printLevel, .warning) }
    set { printLevel = newValue }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
    counters.note(message: event.message.description, metadata: all)
    if event.level >= printLevel {
      var forwarded = event
      forwarded.metadata = all
      printer.log(event: forwarded)
    }
  }
}

/// The counters behind ``ExportHealthLogHandler``; handles are made on first use from
/// `factory` (default: `MetricsSystem`'s, as bootstrapped when the first loss happens).
final class ExportHealthCounters: Sendable {
  private let factory: (any MetricsFactory)?

  init(factory: (any MetricsFactory)? = nil) {
    self.factory = factory
  }

  func note(message: String, metadata: Logger.Metadata) {
    if let dropped = Self.count(metadata["dropped_count"]), let signal = Self.signal(ofDropMessage: message) {
      counter(ExportMetricNames.dropped, [("signal", signal), ("reason", "queue_full")]).increment(by: Int64(dropped))
    } else if let signal = Self.signal(ofFailureMessage: message, component: metadata["component"].map { "\($0)" }) {
      counter(ExportMetricNames.exportFailures, [("signal", signal)]).increment()
      // The failed batch's spans or records are gone too.
      if let lost = Self.count(metadata["batch_size"]) {
        counter(ExportMetricNames.dropped, [("signal", signal), ("reason", "export_failed")]).increment(by: Int64(lost))
      }
    }
  }

  private static func count(_ value: Logger.Metadata.Value?) -> Int? {
    value.flatMap { Int("\($0)") }
  }

  private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
    Counter(label: label, dimensions: dimensions, factory: factory ?? MetricsSystem.factory)
  }

  /// "Spans were dropped …", "Log records were dropped …".
  static func signal(ofDropMessage message: String) -> String? {
    if message.hasPrefix("Spans were dropped") { return "traces" }
    if message.hasPrefix("Log records were dropped") { return "logs" }
    return nil
  }

  /// "Failed to export batch." (from the span or log processor) and "Failed to export metrics.".
  static func signal(ofFailureMessage message: String, component: String?) -> String? {
    if message.hasPrefix("Failed to export metrics") { return "metrics" }
    guard message.hasPrefix("Failed to export batch") else { return nil }
    return component?.contains("Log") == true ? "logs" : "traces"
  }
}
