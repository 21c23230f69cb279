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
/// finish; calls on Framed and unframed connections are answered in order. A
/// `ServiceLifecycle` service: a graceful shutdown stops accepting, asks TTHeader clients
/// to stop reusing their connections (`crrst`), and waits up to ``ThriftServerConfiguration/drainTimeout``
/// for calls in flight.
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
  private let connectionCount = Atomic<Int>(0)
  private let requestCount = Atomic<Int>(0)

  private struct State {
    var boundAddress: Result<SocketAddress, any Error>?
    var addressWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
    var serverChannel: (any Channel)?
    var connections: [ObjectIdentifier: ThriftServerConnection] = [:]
    /// Accepted connections not yet picked up by `serve`: when the accept loop ends, any
    /// left here were never served and must still be closed through their async wrapper.
    var unserved: [ObjectIdentifier: NIOAsyncChannel<ThriftFrame, ThriftFrame>] = [:]
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
  public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

  /// Binds, then serves until cancelled or gracefully shut down.
  public func run() async throws {
    let serverChannel: NIOAsyncChannel<NIOAsyncChannel<ThriftFrame, ThriftFrame>, Never>
    do {
      serverChannel = try await bind()
    } catch {
      publish(.failure(error))
      throw error
    }
    publish(.success(serverChannel.channel.localAddress!))
    state.withLock { $0.serverChannel = serverChannel.channel }
    logger.info("Thrift server listening", metadata: ["address": "\(serverChannel.channel.localAddress!)"])

    do {
      try await withGracefulShutdownHandler {
        try await withThrowingDiscardingTaskGroup { group in
          try await serverChannel.executeThenClose { inbound in
            for try await connection in inbound {
              group.addTask { await self.serve(connection) }
            }
          }
          // Accepting has stopped (graceful shutdown): give calls in flight their time.
          await self.waitForConnectionsToDrain()
          self.closeAllConnections()
        }
      } onGracefulShutdown: {
        self.beginDrain()
      }
    } catch {
      await closeUnserved()
      throw error
    }
    await closeUnserved()
  }

  /// Closes connections accepted but still queued when the accept loop ended (on
  /// cancellation); NIO requires each async channel to be closed through its scope.
  private func closeUnserved() async {
    let unserved = state.withLock { state in
      defer { state.unserved = [:] }
      return Array(state.unserved.values)
    }
    for channel in unserved {
      connectionCount.wrappingSubtract(1, ordering: .relaxed)
      try? await channel.executeThenClose { _, _ in }
    }
  }

  private func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<ThriftFrame, ThriftFrame>, Never> {
    let limits = configuration.limits
    let sslContext = try configuration.tls?.makeServerContext()
    return try await ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 1024)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: configuration.host, port: configuration.port) { channel in
        channel.eventLoop.makeCompletedFuture {
          let previous = self.connectionCount.wrappingAdd(1, ordering: .relaxed).oldValue
          guard previous < limits.maxConnections else {
            self.connectionCount.wrappingSubtract(1, ordering: .relaxed)
            self.logger.warning("Thrift connection refused: limit reached", metadata: ["limit": "\(limits.maxConnections)"])
            channel.close(promise: nil)
            throw RPCError(.overloaded, "connection limit of \(limits.maxConnections) reached")
          }
          let handlers = channel.pipeline.syncOperations
          if let sslContext { try handlers.addHandler(NIOSSLServerHandler(context: sslContext)) }
          try handlers.addHandler(IdleStateHandler(allTimeout: limits.idleTimeout.timeAmount))
          try handlers.addHandler(IdleConnectionCloser())
          try handlers.addHandler(
            ThriftFrameDecoderHandler(
              transport: nil, maxFrameSize: limits.maxFrameSize, limits: limits.protocolLimits,
              partialFrameTimeout: limits.partialFrameTimeout.timeAmount))
          try handlers.addHandler(ThriftFrameEncoderHandler())
          let asyncChannel = try NIOAsyncChannel<ThriftFrame, ThriftFrame>(wrappingChannelSynchronously: channel)
          self.state.withLock { $0.unserved[ObjectIdentifier(channel)] = asyncChannel }
          return asyncChannel
        }
      }
  }

  private func publish(_ result: Result<SocketAddress, any Error>) {
    let waiters = state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
      state.boundAddress = result
      defer { state.addressWaiters = [] }
      return state.addressWaiters
    }
    for waiter in waiters { waiter.resume(with: result) }
  }

  // MARK: Connections

  private func serve(_ channel: NIOAsyncChannel<ThriftFrame, ThriftFrame>) async {
    let connection = ThriftServerConnection(channel: channel.channel)
    let id = ObjectIdentifier(connection)
    let draining = state.withLock { state -> Bool in
      state.unserved[ObjectIdentifier(channel.channel)] = nil
      state.connections[id] = connection
      return state.draining
    }
    if draining { connection.beginClosing() }
    defer {
      connectionCount.wrappingSubtract(1, ordering: .relaxed)
      state.withLock { _ = $0.connections.removeValue(forKey: id) }
    }
    do {
      try await channel.executeThenClose { inbound, outbound in
        try await withThrowingDiscardingTaskGroup { group in
          for try await frame in inbound {
            if frame.transport.isMultiplexed {
              guard reserve(connection) else {
                try await refuseOverloaded(frame, outbound)
                continue
              }
              group.addTask {
                defer { self.release(connection) }
                if let reply = await self.router.handle(frame, connectionClosing: connection.isClosing) {
                  try await outbound.write(reply)
                }
              }
            } else {
              guard reserve(connection) else {
                try await refuseOverloaded(frame, outbound)
                continue
              }
              defer { release(connection) }
              if let reply = await router.handle(frame, connectionClosing: false) {
                try await outbound.write(reply)
              }
            }
          }
        }
      }
    } catch {
      logger.debug("Thrift connection ended", metadata: ["error": "\(error)"])
    }
  }

  /// Counts a call in; false if a limit is reached.
  private func reserve(_ connection: ThriftServerConnection) -> Bool {
    let limits = configuration.limits
    guard connection.inFlight.wrappingAdd(1, ordering: .relaxed).oldValue < limits.maxConcurrentRequestsPerConnection else {
      connection.inFlight.wrappingSubtract(1, ordering: .relaxed)
      return false
    }
    guard requestCount.wrappingAdd(1, ordering: .relaxed).oldValue < limits.maxConcurrentRequests else {
      requestCount.wrappingSubtract(1, ordering: .relaxed)
      connection.inFlight.wrappingSubtract(1, ordering: .relaxed)
      return false
    }
    return true
  }

  private func release(_ connection: ThriftServerConnection) {
    requestCount.wrappingSubtract(1, ordering: .relaxed)
    let remaining = connection.inFlight.wrappingSubtract(1, ordering: .relaxed).newValue
    if remaining == 0 && connection.isClosing { connection.close() }
  }

  private func refuseOverloaded(_ frame: ThriftFrame, _ outbound: NIOAsyncChannelOutboundWriter<ThriftFrame>) async throws {
    let exception = TApplicationException(.internalError, "server overloaded: too many calls in flight")
    if let reply = router.refusal(frame, exception, extraHeaders: [ThriftHeaderKey.overloaded: "1"]) {
      try await outbound.write(reply)
    }
  }

  // MARK: Graceful shutdown

  private func beginDrain() {
    let (serverChannel, connections) = state.withLock { state in
      state.draining = true
      return (state.serverChannel, Array(state.connections.values))
    }
    logger.info("Thrift server draining", metadata: ["connections": "\(connections.count)"])
    serverChannel?.close(promise: nil)
    for connection in connections { connection.beginClosing() }
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

  private func closeAllConnections() {
    let connections = state.withLock { Array($0.connections.values) }
    for connection in connections { connection.close() }
  }
}

/// One accepted connection, as the server tracks it for limits and draining.
final class ThriftServerConnection: Sendable {
  let channel: any Channel
  let inFlight = Atomic<Int>(0)
  private let closing = Atomic<Bool>(false)

  init(channel: any Channel) {
    self.channel = channel
  }

  var isClosing: Bool { closing.load(ordering: .relaxed) }

  /// Closes now if idle; otherwise replies get `crrst` and the last one closes.
  func beginClosing() {
    closing.store(true, ordering: .relaxed)
    if inFlight.load(ordering: .relaxed) == 0 { close() }
  }

  func close() {
    channel.close(promise: nil)
  }
}

/// Closes a connection that has been idle for the configured time.
final class IdleConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is IdleStateHandler.IdleStateEvent {
      context.close(promise: nil)
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }
}
