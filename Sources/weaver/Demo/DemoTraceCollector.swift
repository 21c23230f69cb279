import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The demo's own OTLP/HTTP JSON receiver, for when no collector is named: the demo's
/// processes export their spans here (through WeaverOTel, as to any collector), and the
/// demo prints a trace they made as a tree. Metrics and logs are accepted and counted.
final class DemoTraceCollector: Sendable {
  /// One received span.
  struct Span: Sendable {
    var traceID, spanID, parentSpanID, name, service: String
    var kind: Int
    var start, end: UInt64

    var kindName: String { [1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"][kind] ?? "unspecified" }
    var milliseconds: Double { Double(end &- start) / 1e6 }
  }

  private let received = Mutex<(spans: [Span], metricExports: Int, logExports: Int)>(([], 0, 0))

  var spans: [Span] { received.withLock { $0.spans } }
  var metricExports: Int { received.withLock { $0.metricExports } }

  /// Runs the receiver on a loopback port while `body` runs with its base URL.
  func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
    let router = Router()
    router.post("v1/traces") { request, _ -> Response in
      let bytes = try await request.body.collect(upTo: 16 << 20)
      let spans = try Self.decodeSpans(Data(buffer: bytes))
      self.received.withLock { $0.spans += spans }
      return Self.ok
    }
    router.post("v1/metrics") { _, _ -> Response in
      self.received.withLock { $0.metricExports += 1 }
      return Self.ok
    }
    router.post("v1/logs") { _, _ -> Response in
      self.received.withLock { $0.logExports += 1 }
      return Self.ok
    }
    let (ports, bound) = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "weaver-demo-collector"),
      onServerRunning: { channel in bound.yield(channel.localAddress?.port ?? 0) },
      logger: Logger(label: "weaver.demo.collector", factory: { _ in SwiftLogNoOpLogHandler() }))
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await app.runService(gracefulShutdownSignals: []) }
      defer { group.cancelAll() }
      var iterator = ports.makeAsyncIterator()
      guard let port = await iterator.next() else { throw DemoError("the demo's trace collector did not start") }
      let result = try await body("http://127.0.0.1:\(port)")
      group.cancelAll()
      return result
    }
  }

  private static var ok: Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
  }

  /// The spans of an OTLP/JSON trace export.
  static func decodeSpans(_ data: Data) throws -> [Span] {
    let request = try JSONDecoder().decode(ExportRequest.self, from: data)
    return (request.resourceSpans ?? []).flatMap { resourceSpans in
      let service = resourceSpans.resource?.attributes?.first { $0.key == "service.name" }?.value.stringValue ?? "?"
      return (resourceSpans.scopeSpans ?? []).flatMap { $0.spans ?? [] }.map { span in
        Span(
          traceID: hexID(span.traceId), spanID: hexID(span.spanId), parentSpanID: hexID(span.parentSpanId ?? ""),
          name: span.name ?? "", service: service, kind: span.kind ?? 0,
          start: UInt64(span.startTimeUnixNano ?? "") ?? 0, end: UInt64(span.endTimeUnixNano ?? "") ?? 0)
      }
    }
  }

  /// OTLP/JSON ids are hex; swift-otel 1.6 writes proto3 JSON's base64. Either way, hex.
  static func hexID(_ text: String) -> String {
    let isHex = (text.count == 32 || text.count == 16) && text.allSatisfy(\.isHexDigit)
    guard !isHex, let bytes = Data(base64Encoded: text) else { return text.lowercased() }
    return bytes.map { String(format: "%02x", $0) }.joined()
  }

  /// The tree of the trace that holds `root` (a span with no parent), one line per span,
  /// children under their parent in start order.
  static func tree(of spans: [Span], rootedAt root: Span) -> [String] {
    let trace = spans.filter { $0.traceID == root.traceID }
    var lines: [String] = []
    func walk(_ span: Span, prefix: String, connector: String) {
      lines.append(
        "\(prefix)\(connector)\(span.name)  \(span.kindName)  \(span.service)  \(String(format: "%.2f", span.milliseconds)) ms")
      let children = trace.filter { $0.parentSpanID == span.spanID }.sorted { $0.start < $1.start }
      let childPrefix = prefix + (connector.isEmpty ? "" : (connector == "└─ " ? "   " : "│  "))
      for (index, child) in children.enumerated() {
        walk(child, prefix: childPrefix, connector: index == children.count - 1 ? "└─ " : "├─ ")
      }
    }
    walk(root, prefix: "", connector: "")
    return lines
  }

  // OTLP/JSON, as much of it as the tree needs.
  private struct ExportRequest: Decodable { var resourceSpans: [ResourceSpans]? }
  private struct ResourceSpans: Decodable {
    var resource: Resource?
    var scopeSpans: [ScopeSpans]?
  }
  private struct Resource: Decodable { var attributes: [KeyValue]? }
  private struct KeyValue: Decodable {
    var key: String
    var value: AnyValue
  }
  private struct AnyValue: Decodable { var stringValue: String? }
  private struct ScopeSpans: Decodable { var spans: [JSONSpan]? }
  private struct JSONSpan: Decodable {
    var traceId: String
    var spanId: String
    var parentSpanId: String?
    var name: String?
    var kind: Int?
    var startTimeUnixNano: String?
    var endTimeUnixNano: String?
  }
}
