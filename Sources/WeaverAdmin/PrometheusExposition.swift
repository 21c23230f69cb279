import Prometheus
import WeaverGovernance
import WeaverRPC
import WeaverTelemetry

/// The Prometheus text exposition of a registry, each metric with its `# HELP` line from
/// our catalogues (swift-metrics has no help text; `promtool check metrics` wants one).
public enum PrometheusExposition {
  /// Help text for every metric CloudWeaver emits.
  public static let help: [String: String] = RPCMetricNames.help
    .merging(GovernanceEvents.Names.help) { first, _ in first }
    .merging(ExportMetricNames.help) { first, _ in first }
    .merging(TransportMetricNames.help) { first, _ in first }
    .merging(RedisMetricNames.help) { first, _ in first }

  /// The registry's exposition with `# HELP` lines added before each `# TYPE` line that has
  /// none (`extraHelp` for metrics of your own).
  public static func text(of registry: PrometheusCollectorRegistry, extraHelp: [String: String] = [:]) -> String {
    var bytes: [UInt8] = []
    registry.emit(into: &bytes)
    var lines: [Substring] = []
    var helped: Set<Substring> = []
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("# HELP ") {
        helped.insert(line.dropFirst("# HELP ".count).prefix { $0 != " " })
      } else if line.hasPrefix("# TYPE ") {
        let name = line.dropFirst("# TYPE ".count).prefix { $0 != " " }
        if !helped.contains(name) {
          let help = extraHelp[String(name)] ?? Self.help[String(name)] ?? "\(name) (no description)."
          lines.append("# HELP \(name) \(help)")
          helped.insert(name)
        }
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
