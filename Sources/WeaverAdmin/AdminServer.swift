import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// A process's admin endpoint: `GET /health` (alive), `GET /ready` (ready for traffic),
/// `GET /metrics` (Prometheus text exposition) and `GET /debug/snapshot` (the runtime
/// snapshot, JSON). Off unless a service runs it; bound to
/// loopback unless told otherwise. A `Service`: run it beside the server it describes.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
/// let admin = AdminServer(configuration: .init(port: 9091), registry: registry)
/// try await ServiceGroup(services: [server, admin], logger: logger).run()
/// ```
public final class AdminServer: Service {
  public struct Configuration: Sendable {
    public var host: String
    public var port: Int

    /// Loopback by default: the admin endpoint tells a lot about a process.
    public init(host: String = "127.0.0.1", port: Int) {
      self.host = host
      self.port = port
    }
  }

  let configuration: Configuration
  let registry: PrometheusCollectorRegistry
  let ready: @Sendable () -> Bool
  let extraHelp: [String: String]
  let snapshot: RuntimeSnapshotSources
  let beforeScrape: @Sendable () -> Void
  let logger: Logger
  let onListening: @Sendable (SocketAddress) async -> Void

  /// `ready` answers `/ready` (default: always); `extraHelp` is the help text of metrics of
  /// your own; `snapshot` is what `/debug/snapshot` is taken from; `beforeScrape` runs
  /// before each `/metrics` answer (a ``TransportMetricsReporter``'s `report`, say);
  /// `onListening` is called with the bound address.
  public init(
    configuration: Configuration, registry: PrometheusCollectorRegistry, ready: @escaping @Sendable () -> Bool = { true },
    extraHelp: [String: String] = [:], snapshot: RuntimeSnapshotSources = RuntimeSnapshotSources(),
    beforeScrape: @escaping @Sendable () -> Void = {}, logger: Logger = Logger(label: "cloudweaver.admin"),
    onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
  ) {
    self.configuration = configuration
    self.registry = registry
    self.ready = ready
    self.extraHelp = extraHelp
    self.snapshot = snapshot
    self.beforeScrape = beforeScrape
    self.logger = logger
    self.onListening = onListening
  }

  func router() -> Router<BasicRequestContext> {
    let router = Router()
    let registry = self.registry
    let ready = self.ready
    let extraHelp = self.extraHelp
    router.get("health") { _, _ in Self.json(#"{"status":"ok"}"#) }
    router.get("ready") { _, _ in
      ready() ? Self.json(#"{"status":"ready"}"#) : Self.json(#"{"status":"not ready"}"#, status: .serviceUnavailable)
    }
    let snapshot = self.snapshot
    let beforeScrape = self.beforeScrape
    router.get("debug/snapshot") { _, _ in
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let body = try encoder.encode(await snapshot.take())
      return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
    router.get("metrics") { _, _ in
      beforeScrape()
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: PrometheusExposition.text(of: registry, extraHelp: extraHelp))))
    }
    return router
  }

  static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  public func run() async throws {
    let onListening = self.onListening
    let application = Application(
      router: router(), configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "weaver-admin"),
      onServerRunning: { channel in
        if let address = channel.localAddress { await onListening(address) }
      },
      logger: logger)
    try await application.run()
  }
}
