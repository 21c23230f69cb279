import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import WeaverCore
import WeaverThrift

/// One connection of a client: sends request frames and matches reply frames to their calls
/// by sequence id (from the frame header, or the message header on Framed connections).
final class ThriftClientConnection: Sendable {
  let channel: any Channel
  private let handler: NIOLoopBound<ThriftClientConnectionHandler>
  /// Calls waiting for a reply on this connection.
  let inFlight = Atomic<Int>(0)
  private let reusable = Atomic<Bool>(true)

  private init(channel: any Channel, handler: NIOLoopBound<ThriftClientConnectionHandler>) {
    self.channel = channel
    self.handler = handler
  }

  /// Whether new calls may use this connection (false once closed, or after the server
  /// asked clients to stop reusing it).
  var isReusable: Bool { reusable.load(ordering: .relaxed) && channel.isActive }

  func markNotReusable() { reusable.store(false, ordering: .relaxed) }

  /// Connects to `instance`, within the configured connect timeout. When the connection
  /// has been idle for the idle timeout, `mayCloseWhenIdle` decides whether it closes (the
  /// pool keeps its minimum). `onServerDraining` is called when the server says it is
  /// shutting down (`crrst`).
  static func connect(
    to instance: Instance, configuration: ThriftClientConfiguration, group: any EventLoopGroup,
    statistics: TransportStatistics = TransportStatistics(),
    mayCloseWhenIdle: @escaping @Sendable (ThriftClientConnection) -> Bool = { _ in true },
    onServerDraining: @escaping @Sendable () -> Void = {}
  ) async throws -> ThriftClientConnection {
    let sslContext: NIOSSLContext?
    do {
      sslContext = try configuration.tls?.makeClientContext()
    } catch {
      throw RPCError(.tlsFailure, "cannot set up TLS: \(error)")
    }
    let bootstrap = ClientBootstrap(group: group)
      .connectTimeout(configuration.connectTimeout.timeAmount)
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let handlers = channel.pipeline.syncOperations
          if let sslContext {
            let hostname = configuration.tls?.serverHostname ?? instance.host
            try handlers.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: hostname.first?.isLetter == true ? hostname : nil))
          }
          try handlers.addHandler(ThriftClientConnectionHandler(configuration: configuration, statistics: statistics))
        }
      }
    do {
      let channel = try await bootstrap.connect(host: instance.host, port: instance.port).get()
      return try await channel.eventLoop.submit {
        guard channel.isActive else {
          throw RPCError(
            .connectionClosed, "\(instance) closed the connection right after accepting it (the server may be at its connection limit, or shutting down)")
        }
        let handler = try channel.pipeline.syncOperations.handler(type: ThriftClientConnectionHandler.self)
        let connection = ThriftClientConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        handler.onConnectionReset = { [weak connection] in
          connection?.markNotReusable()
          onServerDraining()
        }
        handler.mayCloseWhenIdle = { [weak connection] in connection.map(mayCloseWhenIdle) ?? true }
        return connection
      }.get()
    } catch let error as RPCError {
      throw error
    } catch {
      throw RPCError(.connectFailed, "cannot connect to \(instance): \(Self.reason(error))")
    }
  }

  /// Why a connect failed, in a few words (`connection refused`), not NIO's nested types.
  private static func reason(_ error: any Error) -> String {
    var error = error
    if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first?.error {
      error = first
    }
    if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
    if error is ChannelError, case .connectTimeout(let amount) = error as! ChannelError {
      return "no answer within the connect timeout (\(amount.nanoseconds / 1_000_000) ms)"
    }
    return "\(error)"
  }

  /// Sends `frame` and waits for the reply with `sequenceID`, until `deadline`.
  func call(_ frame: ThriftFrame, sequenceID: Int32, deadline: ContinuousClock.Instant?, expectsReply: Bool) async throws -> ThriftFrame? {
    let eventLoop = channel.eventLoop
    let promise = eventLoop.makePromise(of: ThriftFrame?.self)
    let handler = self.handler
    let timeout = deadline.map { ContinuousClock.now.duration(to: $0) }
    if eventLoop.inEventLoop {
      handler.value.send(frame, sequenceID: sequenceID, expectsReply: expectsReply, timeout: timeout?.timeAmount, promise: promise)
    } else {
      eventLoop.execute {
        handler.value.send(frame, sequenceID: sequenceID, expectsReply: expectsReply, timeout: timeout?.timeAmount, promise: promise)
      }
    }
    return try await withTaskCancellationHandler {
      try await promise.futureResult.get()
    } onCancel: {
      eventLoop.execute {
        handler.value.fail(sequenceID: sequenceID, RPCError(.cancelled, "the calling task was cancelled"))
      }
    }
  }

  /// The pool holds this connection idle: its idle timeout starts counting now.
  func becameIdle() {
    let handler = self.handler
    if channel.eventLoop.inEventLoop {
      handler.value.startIdleTimer()
    } else {
      channel.eventLoop.execute { handler.value.startIdleTimer() }
    }
  }

  func close() {
    channel.close(promise: nil)
  }
}
