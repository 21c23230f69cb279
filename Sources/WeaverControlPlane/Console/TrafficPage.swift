import Foundation
import Hummingbird

/// `/console/traffic`: per service and method, calls per second, error rate and p99 over
/// the last minute and charted over the last ten; the call graph between services with
/// rates. Read from the spans services export to the control plane.
struct TrafficPage {
  let telemetry: TelemetryStore
  let registry: Registry
  /// This control plane's own port, once it listens (0 before).
  let ownPort: @Sendable () -> Int

  struct Row {
    var service, method, serviceHref, rate, errors, p99: String
    var rateChart, errorChart, p99Chart: SVGCharts.Sparkline
  }

  struct View {
    var graph: SVGCharts.Graph?
    var hasEdges: Bool
    var rows: [Row]
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("traffic") { _, context in
      let page = ConsolePage(title: "Traffic", section: "traffic", user: context.consoleUser, refreshSeconds: 5, page: view(names: try await addressNames()))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "traffic"))
    }
  }

  /// The services of the addresses the registry knows (`host:port` → service), and this
  /// control plane's own, so a call to an address shows as a call to its service.
  func addressNames() async throws -> [String: String] {
    var names: [String: String] = [:]
    for summary in try await registry.services() {
      for instance in try await registry.instances(service: summary.service).instances { names["\(instance.host):\(instance.port)"] = summary.service }
    }
    let port = ownPort()
    if port > 0 { for host in ["127.0.0.1", "localhost"] { names["\(host):\(port)"] = "control plane" } }
    return names
  }

  func view(names: [String: String] = [:]) -> View {
    let (methods, edges) = telemetry.traffic()
    let rows = methods.map { key, series in
      Row(
        service: key.service, method: key.method, serviceHref: ConsoleLinks.path("services", key.service),
        rate: Self.rate(series.lastMinute.callsPerSecond), errors: Self.percent(series.lastMinute.errorRatio),
        p99: series.lastMinute.p99Milliseconds.map(Self.milliseconds) ?? "–",
        rateChart: SVGCharts.sparkline(series.callsPerSecond.map { $0 }, unit: { Self.rate($0) + "/s" }),
        errorChart: SVGCharts.sparkline(series.errorRatio.map { $0 }, floor: 0.01, unit: Self.percent),
        p99Chart: SVGCharts.sparkline(series.p99Milliseconds, unit: Self.milliseconds))
    }
    let graphEdges = edges.map { key, series in
      (
        caller: key.caller, callee: names[key.callee] ?? key.callee,
        label: "\(Self.rate(series.lastMinute.callsPerSecond))/s" + (series.lastMinute.errorRatio > 0 ? " · \(Self.percent(series.lastMinute.errorRatio)) err" : ""),
        hasErrors: series.lastMinute.errorRatio > 0
      )
    }
    let graph = graphEdges.isEmpty ? nil : SVGCharts.graph(edges: graphEdges) { ConsoleLinks.path("services", $0) }
    return View(graph: graph, hasEdges: graph != nil, rows: rows)
  }

  static func rate(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }
  static func percent(_ ratio: Double) -> String { String(format: "%.1f %%", ratio * 100) }
  static func milliseconds(_ value: Double) -> String { value < 10 ? String(format: "%.2f ms", value) : String(format: "%.0f ms", value) }
}
