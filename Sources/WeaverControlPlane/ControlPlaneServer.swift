import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WeaverStore

/// `weaver server`: the registry and the config center over HTTP/JSON under `/v1`, on a
/// ``Store``.
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

    public init(
      host: String = "127.0.0.1", port: Int = 8500, tokens: [String] = [], protectReads: Bool = false, apolloHold: Duration = .seconds(60)
    ) {
      self.host = host
      self.port = port
      self.tokens = tokens
      self.protectReads = protectReads
      self.apolloHold = apolloHold
    }
  }

  public let registry: Registry
  public let config: ConfigCenter
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
    RegistryRoutes(registry: registry).add(to: router)
    ConfigRoutes(config: config).add(to: router)
    ApolloRoutes(config: config, hold: configuration.apolloHold).add(to: router)
    return router
  }

  public func run() async throws {
    let onListening = self.onListening
    let application = Application(
      router: router(),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "weaver"),
      onServerRunning: { channel in
        if let address = channel.localAddress { await onListening(address) }
      },
      logger: logger)
    try await application.run()
  }
}
