import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
import WeaverStore

/// `weaver server`: the registry and the config center over HTTP/JSON under `/v1`, and the
/// web console under `/console`, on a ``Store``.
///
/// ```swift
/// let store = try await SQLiteStore.open(path: "data/weaver.sqlite")
/// let server = ControlPlaneServer(store: store, configuration: .init(host: "127.0.0.1", port: 8500))
/// try await ServiceGroup(services: [store, server], logger: logger).run()
/// ```
public final class ControlPlaneServer: Service {
  public struct Configuration: Sendable {
    public var host: String
    public var port: Int
    /// Bearer tokens that may write (and read, with `protectReads`); none: open.
    public var tokens: [String]
    public var protectReads: Bool
    /// How long Apollo's `/notifications/v2` holds a request without a change (Apollo: 60 s).
    public var apolloHold: Duration
    /// Apps whose Apollo reads must be signed (Apollo clients send no bearer token: with
    /// `protectReads`, an app without a key cannot be read through the Apollo API).
    public var apolloAccessKeys: ApolloAccessKeys
    /// Serve HTTPS instead of HTTP (see ``ControlPlaneServer/tls(certificateChain:privateKey:)``).
    public var tls: TLSConfiguration?
    /// Run the active health checks of persistent instances (a ``HealthChecker``).
    public var healthChecks: Bool

    public init(
      host: String = "127.0.0.1", port: Int = 8500, tokens: [String] = [], protectReads: Bool = false, apolloHold: Duration = .seconds(60),
      apolloAccessKeys: ApolloAccessKeys = ApolloAccessKeys(), tls: TLSConfiguration? = nil, healthChecks: Bool = true
    ) {
      self.host = host
      self.port = port
      self.tokens = tokens
      self.protectReads = protectReads
      self.apolloHold = apolloHold
      self.apolloAccessKeys = apolloAccessKeys
      self.tls = tls
      self.healthChecks = healthChecks
    }
  }

  /// A TLS 1.3 (at least) listener's configuration from PEM files: the certificate chain
  /// (server first) and its private key.
  public static func tls(certificateChain: String, privateKey: String) throws -> TLSConfiguration {
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChain).map { .certificate($0) },
      privateKey: .privateKey(try NIOSSLPrivateKey(file: privateKey, format: .pem)))
    configuration.minimumTLSVersion = .tlsv13
    return configuration
  }

  public let registry: Registry
  public let config: ConfigCenter
  public let healthChecker: HealthChecker
  /// Who changed what and when (``AuditLog``), shown by the console and `GET /v1/audit`.
  public let audit: AuditLog
  /// Spans and log records services export here (OTLP/HTTP JSON), for the console.
  public let telemetry: TelemetryStore
  let changes: AuditedChanges
  let sessions = ConsoleSessions()
  /// The port it listens on, once it does (0 before).
  let boundPort = BoundPort()
  let configuration: Configuration
  let logger: Logger
  let onListening: @Sendable (SocketAddress) async -> Void

  /// `onListening` is called with the bound address once the server accepts connections.
  public init(
    store: any Store, configuration: Configuration, logger: Logger = Logger(label: "cloudweaver.server"),
    onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
  ) {
    self.registry = Registry(store: store)
    self.config = ConfigCenter(store: store)
    self.healthChecker = HealthChecker(store: store, logger: logger)
    self.audit = AuditLog(store: store, logger: logger)
    self.telemetry = TelemetryStore()
    self.changes = AuditedChanges(config: config, registry: registry, audit: audit)
    self.configuration = configuration
    self.logger = logger
    self.onListening = onListening
  }

  /// The routes, with the error and auth middleware in front.
  func router() -> Router<ControlPlaneRequestContext> {
    let router = Router(context: ControlPlaneRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.add(middleware: TokenAuthMiddleware(tokens: configuration.tokens, protectReads: configuration.protectReads))
    router.get("v1/health") { _, _ in JSONResponses.response(["status": "ok"]) }
    router.head("v1/health") { _, _ in Response(status: .ok) }
    RegistryRoutes(registry: registry, changes: changes).add(to: router)
    ConfigRoutes(config: config, changes: changes).add(to: router)
    router.get("v1/audit") { _, _ in JSONResponses.response(try await self.audit.entries()) }
    TelemetryRoutes(telemetry: telemetry).add(to: router)
    Console(
      registry: registry, config: config, audit: audit, telemetry: telemetry, ownPort: { [boundPort] in boundPort.value.load(ordering: .relaxed) },
      changes: changes, sessions: sessions, tokens: configuration.tokens,
      protectReads: configuration.protectReads, secureCookies: configuration.tls != nil
    ).add(to: router)
    ApolloRoutes(
      config: config, hold: configuration.apolloHold, accessKeys: configuration.apolloAccessKeys, protectReads: configuration.protectReads
    ).add(to: router)
    return router
  }

  public func run() async throws {
    let onListening = self.onListening
    let boundPort = self.boundPort
    let application = Application(
      router: router(),
      server: try configuration.tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "weaver"),
      onServerRunning: { channel in
        if let address = channel.localAddress {
          boundPort.value.store(address.port ?? 0, ordering: .relaxed)
          await onListening(address)
        }
      },
      logger: logger)
    guard configuration.healthChecks else { return try await application.run() }
    // Both end on graceful shutdown (each finishing its own way); either failing cancels
    // the other as the group is left.
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await application.run() }
      group.addTask { try await self.healthChecker.run() }
      try await group.waitForAll()
    }
  }
}

/// The port a server listens on, once it does (0 before): shared with what reads it later.
final class BoundPort: Sendable {
  let value = Atomic<Int>(0)
}
