import Foundation
import Hummingbird

/// `/console/requests` and `/console/requests/{traceID}`: one request by its trace id —
/// its spans as a waterfall, the log lines that carry its trace id, and the path it took
/// between services — beside the recent traces to pick from.
struct RequestPages {
  let telemetry: TelemetryStore

  struct TraceRow {
    var time, name, service, duration, services, href: String
    var spans: Int
    var hasError: Bool
  }

  struct ListView {
    var rows: [TraceRow]
  }

  struct Hop {
    var name, href: String
    var last: Bool
  }

  struct SpanRow {
    var service, name, indent, kind, offset, duration, status, attributes: String
    var isError: Bool
  }

  struct LogRow {
    var time, service, severity, body, attributes: String
  }

  struct TraceView {
    var traceID, summary: String
    var hops: [Hop]
    var bars: [SVGCharts.Bar]
    var height: Int
    var spans: [SpanRow]
    var logs: [LogRow]
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("requests") { _, context in
      let rows = telemetry.recentTraces(limit: 50).map {
        TraceRow(
          time: ConsoleFormat.time($0.startNanos), name: $0.name, service: $0.service, duration: ConsoleFormat.milliseconds($0.durationNanos),
          services: $0.services.joined(separator: ", "), href: ConsoleLinks.path("requests", $0.traceID), spans: $0.spans, hasError: $0.hasError)
      }
      let page = ConsolePage(title: "Requests", section: "requests", user: context.consoleUser, refreshSeconds: 5, page: ListView(rows: rows))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "requests"))
    }
    console.get("requests/find") { request, _ in
      let id = (request.uri.queryParameters["trace"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
      guard id.count == 32, id.allSatisfy(\.isHexDigit) else { throw APIError.invalid("a trace id is 32 hex digits; got '\(id.prefix(40))'") }
      return ConsoleResponses.redirect(to: ConsoleLinks.path("requests", id))
    }
    console.get("requests/:traceID") { _, context in
      let id = try context.segment("traceID").lowercased()
      let spans = telemetry.trace(id)
      guard !spans.isEmpty else {
        throw APIError(.notFound, "not_found", "no spans of trace \(id) here: it was not exported to this control plane, or is older than what it keeps")
      }
      let page = ConsolePage(title: "Trace \(id.prefix(8))…", section: "requests", user: context.consoleUser, page: view(id, spans))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "request"))
    }
  }

  func view(_ id: String, _ spans: [SpanRecord]) -> TraceView {
    let ordered = Self.treeOrder(spans)
    let (bars, height) = SVGCharts.waterfall(ordered)
    let start = spans.map(\.startNanos).min() ?? 0
    let end = spans.map(\.endNanos).max() ?? start
    let services = Self.path(spans)
    let errors = spans.count(where: \.isError)
    let rows = ordered.map { span, depth in
      SpanRow(
        service: span.instance.isEmpty ? span.service : "\(span.service) (\(span.instance))", name: span.name, indent: String(repeating: "· ", count: depth), kind: span.kind,
        offset: ConsoleFormat.milliseconds(span.startNanos &- start), duration: ConsoleFormat.milliseconds(span.durationNanos),
        status: span.isError ? "error" + (span.statusMessage.isEmpty ? "" : ": \(span.statusMessage)") : "ok",
        attributes: (span.events.map { "event: \($0)" } + span.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
          .joined(separator: " · "), isError: span.isError)
    }
    let logs = telemetry.logs(traceID: id).map {
      LogRow(
        time: ConsoleFormat.time($0.timeNanos), service: $0.service, severity: $0.severity, body: $0.body,
        attributes: $0.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
    return TraceView(
      traceID: id,
      summary: "\(spans.count) spans in \(Set(spans.map(\.service)).count) services, \(ConsoleFormat.milliseconds(end &- start)), started \(ConsoleFormat.time(start))"
        + (errors > 0 ? "; \(errors) failed" : ""),
      hops: services.enumerated().map { Hop(name: $1, href: ConsoleLinks.path("services", $1), last: $0 == services.count - 1) },
      bars: bars, height: height, spans: rows, logs: logs)
  }

  /// Parents before their children (children by start), each with its depth; spans whose
  /// parent is not here (not exported, or from a caller outside) start their own subtree.
  static func treeOrder(_ spans: [SpanRecord]) -> [(span: SpanRecord, depth: Int)] {
    let ids = Set(spans.map(\.spanID))
    let children = Dictionary(grouping: spans, by: \.parentSpanID)
    var ordered: [(SpanRecord, Int)] = []
    var visited: Set<String> = []
    func walk(_ span: SpanRecord, _ depth: Int) {
      guard visited.insert(span.spanID).inserted else { return }
      ordered.append((span, depth))
      for child in (children[span.spanID] ?? []).sorted(by: { $0.startNanos < $1.startNanos }) { walk(child, depth + 1) }
    }
    for root in spans.filter({ !ids.contains($0.parentSpanID) }).sorted(by: { $0.startNanos < $1.startNanos }) { walk(root, 0) }
    for span in spans where !visited.contains(span.spanID) { walk(span, 0) }
    return ordered
  }

  /// The services the request went through, in the order it reached them.
  static func path(_ spans: [SpanRecord]) -> [String] {
    var seen: [String] = []
    for (span, _) in treeOrder(spans) where !seen.contains(span.service) { seen.append(span.service) }
    return seen
  }
}
