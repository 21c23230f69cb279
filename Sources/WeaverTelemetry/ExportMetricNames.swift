/// The names of what an exporter (WeaverOTel's swift-otel bootstrap) reports of itself: the
/// telemetry it had to drop and the exports that failed. In this light module so the
/// Prometheus exposition can describe them without depending on the exporter.
public enum ExportMetricNames {
  /// Spans and log records lost, by `signal` (`traces`, `logs`) and `reason`: `queue_full`
  /// (the collector is down or slow and the export queue filled) or `export_failed` (their
  /// batch failed after the exporter's retries).
  public static let dropped = "weaver_otel_dropped_total"
  /// Export batches that failed after the exporter's retries, by `signal` (`traces`,
  /// `metrics`, `logs`).
  public static let exportFailures = "weaver_otel_export_failures_total"

  /// Help text for each.
  public static let help: [String: String] = [
    dropped: "Spans and log records lost before export, by signal and reason (queue_full, export_failed).",
    exportFailures: "OTLP export batches that failed after retries, by signal.",
  ]
}
