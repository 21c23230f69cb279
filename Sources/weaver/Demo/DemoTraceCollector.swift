import Foundation
import Hummingbird
import Logging
import NIOCore
import WeaverControlPlane

/// The demo's own OTLP/HTTP JSON receiver, for when no collector is named: the demo's
/// processes export their spans here (through WeaverOTel, as to any collector), and the
/// demo prints a trace they made as a tree. Decoding and keeping are the control plane's
/// (``TelemetryStore``); metrics are accepted and dropped.
final class DemoTraceCollector: Sendable {
  let telemetry = TelemetryStore()

  /// Runs the receiver on a loopback port while `body` runs with its base URL.
  func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
    let router = Router()
    router.post("v1/traces") { request, _ -> Response in
      let bytes = try await request.body.collect(upTo: 16 << 20)
      try self.telemetry.ingestTraces(Data(buffer: bytes))
      return Self.ok
    }
    router.post("v1/metrics") { _, _ -> Response in Self.ok }
    router.post("v1/logs") { request, _ -> Response in
      let bytes = try await request.body.collect(upTo: 16 << 20)
      try self.telemetry.ingestLogs(Data(buffer: bytes))
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

  /// The tree of the trace that holds `root` (a span with no parent), one line per span,
  /// children under their parent in start order.
  static func tree(of trace: [SpanRecord], rootedAt root: SpanRecord) -> [String] {
    var lines: [String] = []
    func walk(_ span: SpanRecord, prefix: String, connector: String) {
      lines.append(
        "\(prefix)\(connector)\(span.name)  \(span.kind)  \(span.service)  \(String(format: "%.2f", Double(span.durationNanos) / 1e6)) ms")
      let children = trace.filter { $0.parentSpanID == span.spanID }.sorted { $0.startNanos < $1.startNanos }
      let childPrefix = prefix + (connector.isEmpty ? "" : (connector == "└─ " ? "   " : "│  "))
      for (index, child) in children.enumerated() {
        walk(child, prefix: childPrefix, connector: index == children.count - 1 ? "└─ " : "├─ ")
      }
    }
    walk(root, prefix: "", connector: "")
    return lines
  }
}
