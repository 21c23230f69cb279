import Foundation
import Synchronization

/// What services export to the control plane over OTLP/HTTP JSON (`POST /v1/traces`,
/// `/v1/logs`): recent spans by trace, recent log records, and the traffic they add up to.
/// In memory and bounded (oldest traces and records go first): a window onto the fleet for
/// the console, not a trace archive — keep exporting to a real backend too.
public final class TelemetryStore: Sendable {
  public let maxSpans: Int
  public let maxLogs: Int
  let clock: @Sendable () -> Date
  private let state: Mutex<State>

  struct State {
    var traces: [String: [SpanRecord]] = [:]
    /// Trace ids in the order first seen, from `head` on (older ones are gone).
    var order: [String] = []
    var head = 0
    var spanCount = 0
    var logs: [LogRecordEntry] = []
    var nextLog = 0
    var traffic = TrafficWindow()
  }

  public init(maxSpans: Int = 50_000, maxLogs: Int = 20_000, clock: @escaping @Sendable () -> Date = Date.init) {
    self.maxSpans = maxSpans
    self.maxLogs = maxLogs
    self.clock = clock
    self.state = Mutex(State())
  }

  /// Takes an OTLP/JSON trace export; returns how many spans it held.
  @discardableResult
  public func ingestTraces(_ json: Data) throws -> Int {
    let request = try JSONDecoder().decode(OTLPJSON.TracesRequest.self, from: json)
    var spans: [SpanRecord] = []
    for resourceSpans in request.resourceSpans ?? [] {
      let service = OTLPJSON.attribute("service.name", in: resourceSpans.resource?.attributes) ?? "unknown"
      let instance = OTLPJSON.attribute("service.instance.id", in: resourceSpans.resource?.attributes) ?? ""
      for span in (resourceSpans.scopeSpans ?? []).flatMap({ $0.spans ?? [] }) {
        spans.append(
          SpanRecord(
            traceID: OTLPJSON.hexID(span.traceId), spanID: OTLPJSON.hexID(span.spanId), parentSpanID: OTLPJSON.hexID(span.parentSpanId ?? ""),
            name: span.name ?? "", service: service, instance: instance, kind: SpanRecord.kindName(span.kind), startNanos: span.startTimeUnixNano?.value ?? 0,
            endNanos: span.endTimeUnixNano?.value ?? 0, isError: span.status?.code == 2, statusMessage: span.status?.message ?? "",
            attributes: Dictionary((span.attributes ?? []).map { ($0.key, $0.value?.text ?? "") }, uniquingKeysWith: { $1 }),
            events: (span.events ?? []).map { event in
              ([event.name ?? "event"] + (event.attributes ?? []).map { "\($0.key)=\($0.value?.text ?? "")" }).joined(separator: " ")
            }))
      }
    }
    let maxSpans = self.maxSpans
    state.withLock { state in
      for span in spans {
        if state.traces[span.traceID] == nil { state.order.append(span.traceID) }
        state.traces[span.traceID, default: []].append(span)
        state.spanCount += 1
        state.traffic.record(span)
      }
      while state.spanCount > maxSpans, state.head < state.order.count {
        let oldest = state.order[state.head]
        state.head += 1
        state.spanCount -= state.traces.removeValue(forKey: oldest)?.count ?? 0
      }
      if state.head > 4096 && state.head * 2 > state.order.count {
        state.order.removeFirst(state.head)
        state.head = 0
      }
    }
    return spans.count
  }

  /// Takes an OTLP/JSON log export; returns how many records it held.
  @discardableResult
  public func ingestLogs(_ json: Data) throws -> Int {
    let request = try JSONDecoder().decode(OTLPJSON.LogsRequest.self, from: json)
    var records: [LogRecordEntry] = []
    for resourceLogs in request.resourceLogs ?? [] {
      let service = OTLPJSON.attribute("service.name", in: resourceLogs.resource?.attributes) ?? "unknown"
      for record in (resourceLogs.scopeLogs ?? []).flatMap({ $0.logRecords ?? [] }) {
        records.append(
          LogRecordEntry(
            timeNanos: record.timeUnixNano?.value ?? record.observedTimeUnixNano?.value ?? 0, service: service,
            severity: record.severityText ?? "", body: record.body?.text ?? "", traceID: OTLPJSON.hexID(record.traceId ?? ""),
            spanID: OTLPJSON.hexID(record.spanId ?? ""),
            attributes: Dictionary((record.attributes ?? []).map { ($0.key, $0.value?.text ?? "") }, uniquingKeysWith: { $1 })))
      }
    }
    let maxLogs = self.maxLogs
    state.withLock { state in
      for record in records {
        if state.logs.count < maxLogs {
          state.logs.append(record)
        } else {
          state.logs[state.nextLog] = record
        }
        state.nextLog = (state.nextLog + 1) % maxLogs
      }
    }
    return records.count
  }

  /// One trace's spans, by start time.
  public func trace(_ id: String) -> [SpanRecord] {
    state.withLock { $0.traces[id.lowercased()] ?? [] }.sorted { ($0.startNanos, $0.spanID) < ($1.startNanos, $1.spanID) }
  }

  /// The log records that carry `traceID`, oldest first.
  public func logs(traceID: String) -> [LogRecordEntry] {
    let id = traceID.lowercased()
    return state.withLock { $0.logs.filter { $0.traceID == id } }.sorted { $0.timeNanos < $1.timeNanos }
  }

  /// One line per recent trace.
  public struct TraceSummary: Sendable {
    public var traceID: String
    /// Its root span's name and service (or its earliest span's, before the root arrived).
    public var name: String
    public var service: String
    public var startNanos: UInt64
    public var durationNanos: UInt64
    public var spans: Int
    public var services: [String]
    public var hasError: Bool
  }

  /// The newest `limit` traces, newest first.
  public func recentTraces(limit: Int = 50) -> [TraceSummary] {
    state.withLock { state in
      state.order[state.head...].suffix(limit).reversed().compactMap { id in state.traces[id] }
    }.map { spans in
      let root = spans.first { $0.parentSpanID.isEmpty } ?? spans.min { $0.startNanos < $1.startNanos }!
      let start = spans.map(\.startNanos).min() ?? 0
      return TraceSummary(
        traceID: root.traceID, name: root.name, service: root.service, startNanos: start, durationNanos: (spans.map(\.endNanos).max() ?? start) &- start,
        spans: spans.count, services: Array(Set(spans.map(\.service))).sorted(), hasError: spans.contains(where: \.isError))
    }
  }

  /// Traffic per service and method, and between services, up to now.
  func traffic() -> (methods: [(TrafficWindow.MethodKey, TrafficWindow.Series)], edges: [(TrafficWindow.EdgeKey, TrafficWindow.Series)]) {
    let now = clock()
    return state.withLock { state in
      (
        state.traffic.methods.sorted { $0.key < $1.key }.map { ($0.key, state.traffic.series($0.value, now: now)) },
        state.traffic.edges.sorted { $0.key < $1.key }.map { ($0.key, state.traffic.series($0.value, now: now)) }
      )
    }
  }
}
