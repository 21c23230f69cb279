import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WeaverControlPlane

/// The control plane's OTLP/HTTP JSON receiver and what the console makes of it: traces by
/// id (ids in hex or base64, as swift-otel writes them), the log lines of a trace, traffic
/// per method and between services, and the bounds that keep it a window.
@Suite struct TelemetryStoreTests {
  static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

  /// A span as OTLP/JSON has it; ids base64 when `base64`, as swift-otel 1.6 sends them.
  static func span(
    _ id: String, parent: String = "", name: String, kind: Int, start: UInt64, end: UInt64, error: Bool = false,
    attributes: [String: String] = [:], trace: String = traceID, base64: Bool = false
  ) -> [String: Any] {
    func encode(_ hex: String) -> String {
      guard base64, !hex.isEmpty else { return hex }
      let bytes = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
        let start = hex.index(hex.startIndex, offsetBy: offset)
        return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
      }
      return Data(bytes).base64EncodedString()
    }
    return [
      "traceId": encode(trace), "spanId": encode(id), "parentSpanId": encode(parent), "name": name, "kind": kind,
      "startTimeUnixNano": String(start), "endTimeUnixNano": String(end), "status": ["code": error ? 2 : 0],
      "attributes": attributes.map { ["key": $0.key, "value": ["stringValue": $0.value]] },
    ]
  }

  static func export(service: String, _ spans: [[String: Any]]) throws -> Data {
    try JSONSerialization.data(withJSONObject: [
      "resourceSpans": [["resource": ["attributes": [["key": "service.name", "value": ["stringValue": service]]]], "scopeSpans": [["spans": spans]]]]
    ])
  }

  static let second: UInt64 = 1_000_000_000
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let nowNanos = UInt64(1_800_000_000) * second

  @Test func aTraceFromTwoProcessesWithItsLogLinesAndTheTrafficItMakes() throws {
    let store = TelemetryStore(clock: { Self.now })
    let start = Self.nowNanos - 10 * Self.second
    try store.ingestTraces(
      try Self.export(service: "gateway", [
        Self.span("00f067aa0ba902b7", name: "GET /feed", kind: 2, start: start, end: start + 9_000_000, base64: true),
        Self.span(
          "00f067aa0ba902b8", parent: "00f067aa0ba902b7", name: "FeedService/getFeed", kind: 3, start: start + 1_000_000, end: start + 8_000_000,
          attributes: ["rpc.service": "FeedService", "rpc.method": "getFeed"], base64: true),
      ]))
    try store.ingestTraces(
      try Self.export(service: "feed", [
        Self.span(
          "00f067aa0ba902b9", parent: "00f067aa0ba902b8", name: "FeedService/getFeed", kind: 2, start: start + 2_000_000, end: start + 7_000_000,
          error: true, attributes: ["rpc.service": "FeedService", "rpc.method": "getFeed"])
      ]))
    let logs: [String: Any] = [
      "resourceLogs": [[
        "resource": ["attributes": [["key": "service.name", "value": ["stringValue": "feed"]]]],
        "scopeLogs": [["logRecords": [
          ["timeUnixNano": String(start + 3_000_000), "severityText": "ERROR", "body": ["stringValue": "feed store timed out"], "traceId": Self.traceID],
          ["timeUnixNano": String(start), "severityText": "INFO", "body": ["stringValue": "unrelated"]],
        ]]],
      ]]
    ]
    try store.ingestLogs(try JSONSerialization.data(withJSONObject: logs))

    let trace = store.trace(Self.traceID)
    #expect(trace.map(\.service) == ["gateway", "gateway", "feed"])
    #expect(trace[1].parentSpanID == "00f067aa0ba902b7", "base64 ids come out as hex")
    #expect(RequestPages.path(trace) == ["gateway", "feed"])
    #expect(RequestPages.treeOrder(trace).map(\.depth) == [0, 1, 2])
    #expect(store.logs(traceID: Self.traceID).map(\.body) == ["feed store timed out"])
    let recent = try #require(store.recentTraces().first)
    #expect(recent.name == "GET /feed" && recent.spans == 3 && recent.hasError)

    let (methods, edges) = store.traffic()
    let served = try #require(methods.first { $0.0.service == "FeedService" })
    #expect(served.0.method == "getFeed")
    #expect(served.1.lastMinute.calls == 1 && served.1.lastMinute.errorRatio == 1)
    let p99 = try #require(served.1.lastMinute.p99Milliseconds)
    #expect(p99 >= 5 && p99 <= 5 * 1.25, "p99 is an upper bound within a bin (25 %)")
    #expect(edges.map { "\($0.0.caller)→\($0.0.callee)" } == ["gateway→FeedService"])
    #expect(served.1.callsPerSecond.count == TrafficWindow.buckets)
  }

  @Test func itKeepsAWindowNotAnArchive() throws {
    let store = TelemetryStore(maxSpans: 10, maxLogs: 3, clock: { Self.now })
    for index in 0..<8 {
      let trace = String(format: "%032x", index + 1)
      try store.ingestTraces(
        try Self.export(service: "a", [
          Self.span("0000000000000001", name: "x", kind: 2, start: Self.nowNanos, end: Self.nowNanos + 1, trace: trace),
          Self.span("0000000000000002", name: "y", kind: 1, start: Self.nowNanos, end: Self.nowNanos + 1, trace: trace),
        ]))
    }
    #expect(store.trace(String(format: "%032x", 1)).isEmpty, "the oldest traces went first")
    #expect(store.trace(String(format: "%032x", 8)).count == 2)
    #expect(store.recentTraces(limit: 100).count == 5)
    // Calls older than the window do not count.
    try store.ingestTraces(
      try Self.export(service: "a", [Self.span("0000000000000003", name: "old", kind: 2, start: 0, end: 1_000, trace: String(format: "%032x", 99))]))
    let methods = store.traffic().methods.map(\.0.method)
    #expect(methods.contains("x"), "calls inside the window count")
    #expect(!methods.contains("old"))
  }

  @Test func theReceiverTakesJSONAndSaysSoForProtobuf() async throws {
    try await TemporaryStore.with { store in
      let server = ControlPlaneServer(store: store, configuration: .init(port: 0))
      let application = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
      try await application.test(.live) { client in
        let body = try Self.export(service: "feed", [Self.span("00f067aa0ba902b9", name: #"<img src=x onerror=alert(1)>"#, kind: 2, start: Self.nowNanos, end: Self.nowNanos + 5)])
        let accepted = try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
        #expect(accepted.status == .ok)
        let refused = try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "application/x-protobuf"], body: ByteBuffer(string: "x"))
        #expect(refused.status == .unsupportedMediaType && String(buffer: refused.body).contains("http/json"))
        let malformed = try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{"))
        #expect(malformed.status == .badRequest)
        let json = try await client.execute(uri: "/v1/traces/\(Self.traceID)", method: .get)
        #expect(json.status == .ok && String(buffer: json.body).contains("00f067aa0ba902b9"))
        #expect(try await client.execute(uri: "/v1/traces/not-an-id", method: .get).status == .badRequest)
        for uri in ["/console/requests", "/console/requests/\(Self.traceID)", "/console/traffic"] {
          let page = try await client.execute(uri: uri, method: .get)
          #expect(page.status == .ok, "\(uri)")
          #expect(!String(buffer: page.body).contains("<img src=x"), "\(uri) escapes span names")
        }
        #expect(try await client.execute(uri: "/console/requests/\(String(repeating: "0", count: 32))", method: .get).status == .notFound)
      }
    }
  }
}
