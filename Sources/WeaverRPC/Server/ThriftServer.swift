import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization
import WeaverCore
import WeaverThrift

/// A Thrift server on SwiftNIO: it accepts connections, detects each connection's transport
/// (unframed, Framed, TTHeader, THeader) and protocol (binary, compact) from its first bytes,
/// and answers calls with the services it hosts, on the same transport and protocol.
///
/// Calls on TTHeader and THeader connections run concurrently and are answered as they
/// finish; calls on Framed and unframed connections are answered in order. Handlers run on
/// the connection's event loop thread (as tasks that prefer it as their executor), so they
/// must not block; long work belongs in a detached task or on another executor. A
/// `ServiceLifecycle` service: a graceful shutdown stops accepting, asks TTHeader clients
/// to stop reusing their connections (`crrst`), and waits up to ``ThriftServerConfiguration/drainTimeout``
/// for calls in flight. Without ServiceLifecycle, ``beginGracefulShutdown()`` starts the same drain.
///
/// ```swift
/// let server = ThriftServer(serving: [Calculator.service(MyCalculator())],
///                           configuration: ThriftServerConfiguration(port: 9090))
/// try await ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class ThriftServer: Service, Sendable {
  public let configuration: ThriftServerConfiguration
  private let router: ThriftCallRouter
  private let group: any EventLoopGroup
  private let logger: Logger
  private let state = Mutex(State())
  private let callsInFlight: CallsInFlightLimit
  /// What the server's connections moved and did.
  public let transportStatistics = TransportStatistics()
  /// One warning a second at most about refused connections, with a count of the rest.
  private let refusals = RateLimitedWarning(interval: .seconds(1))

  private struct State {
    var boundAddress: Result<SocketAddress, any Error>?
    var addressWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
    var serverChannel: (any Channel)?
    var connections: [ObjectIdentifier: ThriftServerConnection] = [:]
    var draining = false
  }

  public init(
    serving services: [ThriftService], configuration: ThriftServerConfiguration = .init(),
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "cloudweaver.thrift.server")
  ) {
    self.configuration = configuration
    self.router = ThriftCallRouter(
      services: services, middlewares: configuration.middlewares, limits: configuration.limits.protocolLimits)
    self.callsInFlight = CallsInFlightLimit(configuration.limits.maxConcurrentRequests)
    self.group = eventLoopGroup
    self.logger = logger
  }

  /// The address the server listens on, once it does (waits for ``run()`` to bind).
  public var localAddress: SocketAddress {
    get async throws {
      try await withCheckedThrowingContinuation { continuation in
        let bound: Result<SocketAddress, any Error>? = state.withLock { state in
          if state.boundAddress == nil { state.addressWaiters.append(continuation) }
          return state.boundAddress
        }
        if let bound { continuation.resume(with: bound) }
      }
    }
  }

  /// The number of open connections.
  public var openConnections: Int { state.withLock { $0.connections.count } }

  /// Binds, then serves until cancelled or gracefully shut down.
  public func run() async throws {
    let serverChannel: any Channel
    do {
      serverChannel = try await bind()
    } catch {
      publish(.failure(error))
      throw error
    }
    publish(.success(serverChannel.localAddress!))
    let drainingAlready = state.withLock { state in
      state.serverChannel = serverChannel
      return state.draining
    }
    logger.info("Thrift server listening", metadata: ["address": "\(serverChannel.localAddress!.hostAndPort)"])
    // A shutdown begun before the bind found no listener to close: close it now, so the
    // wait below ends at once and the drain proceeds as usual.
    if drainingAlready { closeListenerThenDrain(serverChannel) }

    await withGracefulShutdownHandler {
      await withTaskCancellationHandler {
        try? await serverChannel.closeFuture.get()
      } onCancel: {
        serverChannel.close(promise: nil)
      }
    } onGracefulShutdown: {
      self.beginGracefulShutdown()
    }
    // Accepting has stopped. After a graceful shutdown calls in flight get their time;
    // after cancellation they are cancelled with their connections.
    if !Task.isCancelled { await waitForConnectionsToDrain() }
    await closeAllConnections()
  }

  private func bind() async throws -> any Channel {
    let limits = configuration.limits
    let (host, port) = (configuration.host, configuration.port)
    guard (0...65535).contains(port) else {
      throw ThriftServerError(.invalidPort, address: Instance.format(host: host, port: port), "ports are 1 to 65535 (0 picks a free one)")
    }
    let sslContext = try configuration.tls?.makeServerContext()
    let bootstrap = ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(
        .writeBufferWaterMark, value: .init(low: limits.outboundLowWaterMark, high: limits.outboundHighWaterMark))
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try self.setUp(channel, limits: limits, sslContext: sslContext)
        }
      }
    do {
      return try await bootstrap.bind(host: host, port: port).get()
    } catch {
      throw ThriftServerError.bindFailure(error, host: host, port: port)
    }
  }

  /// Counts the connection in (or refuses it over the limit) and builds its pipeline.
  private func setUp(_ channel: any Channel, limits: ThriftServerConfiguration.Limits, sslContext: NIOSSLContext?) throws {
    let connection = ThriftServerConnection(channel: channel)
    let id = ObjectIdentifier(connection)
    let (admitted, draining) = state.withLock { state -> (Bool, Bool) in
      guard state.connections.count < limits.maxConnections else { return (false, state.draining) }
      state.connections[id] = connection
      return (true, state.draining)
    }
    guard admitted else {
      transportStatistics.refused()
      refusals.record { suppressed in
        var metadata: Logger.Metadata = ["limit": "\(limits.maxConnections)"]
        if suppressed > 0 { metadata["refusedSinceLastWarning"] = "\(suppressed)" }
        logger.warning("Thrift connection refused: limit reached", metadata: metadata)
      }
      channel.close(promise: nil)
      throw RPCError(.overloaded, "connection limit of \(limits.maxConnections) reached")
    }
    transportStatistics.opened()
    channel.closeFuture.whenComplete { _ in
      self.state.withLock { _ = $0.connections.removeValue(forKey: id) }
    }
    let handlers = channel.pipeline.syncOperations
    if let sslContext { try handlers.addHandler(NIOSSLServerHandler(context: sslContext)) }
    try handlers.addHandler(
      ThriftServerConnectionHandler(
        router: router, admission: callsInFlight, connection: connection, limits: limits,
        closeLinger: configuration.closeLinger, statistics: transportStatistics, logger: logger))
    if draining { connection.beginClosing() }
  }

  private func publish(_ result: Result<SocketAddress, any Error>) {
    let waiters = state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
      state.boundAddress = result
      defer { state.addressWaiters = [] }
      return state.addressWaiters
    }
    for waiter in waiters { waiter.resume(with: result) }
  }

  // MARK: Graceful shutdown

  /// Begins a graceful shutdown, as a `ServiceLifecycle` graceful shutdown does: the server
  /// stops accepting connections, asks TTHeader clients to stop reusing theirs (`crrst`) and
  /// gives calls in flight up to ``ThriftServerConfiguration/drainTimeout``; ``run()``
  /// returns once every connection is closed.
  ///
  /// Safe from any thread, and more than once (later calls do nothing). Called before
  /// ``run()`` has bound, it makes `run()` close its listener as soon as it has bound (so
  /// ``localAddress`` still resolves) and return without serving.
  public func beginGracefulShutdown() {
    // Only the first call acts; before the bind there is no listener yet, and `run()` closes
    // it once bound (it reads `draining` under the same lock as it stores the listener).
    let (first, serverChannel) = state.withLock { state in
      defer { state.draining = true }
      return (!state.draining, state.serverChannel)
    }
    guard first, let serverChannel else { return }
    closeListenerThenDrain(serverChannel)
  }

  /// Stops listening, then asks every connection to finish. Connections hear of the drain
  /// (`crrst`) only once the listener is closed: a client that reconnects on that news must
  /// be refused, not land in a closing listener's backlog and be reset with its calls.
  private func closeListenerThenDrain(_ serverChannel: any Channel) {
    serverChannel.close().whenComplete { _ in
      let connections = self.state.withLock { Array($0.connections.values) }
      self.logger.info("Thrift server draining", metadata: ["connections": "\(connections.count)"])
      for connection in connections { connection.beginClosing() }
    }
  }

  /// Waits until every connection has closed or the drain timeout passes (polling: this is
  /// the shutdown path, not a hot one, and polling cannot deadlock on cancellation).
  private func waitForConnectionsToDrain() async {
    let deadline = ContinuousClock.now.advanced(by: configuration.drainTimeout)
    while !Task.isCancelled && ContinuousClock.now < deadline {
      if state.withLock({ $0.connections.isEmpty }) { return }
      try? await Task.sleep(for: .milliseconds(20))
    }
  }

  /// Closes every connection (cancelling its calls) and waits until they are closed.
  private func closeAllConnections() async {
    let connections = state.withLock { Array($0.connections.values) }
    for connection in connections { connection.close() }
    for connection in connections { try? await connection.channel.closeFuture.get() }
  }
}
