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
  /// pool keeps its minimum).
  static func connect(
    to instance: Instance, configuration: ThriftClientConfiguration, group: any EventLoopGroup,
    mayCloseWhenIdle: @escaping @Sendable (ThriftClientConnection) -> Bool = { _ in true }
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
          try handlers.addHandler(ThriftClientConnectionHandler(configuration: configuration))
        }
      }
    do {
      let channel = try await bootstrap.connect(host: instance.host, port: instance.port).get()
      return try await channel.eventLoop.submit {
        guard channel.isActive else {
          throw RPCError(.connectionClosed, "\(instance) closed the connection as soon as it accepted it (is its connection limit reached?)")
        }
        let handler = try channel.pipeline.syncOperations.handler(type: ThriftClientConnectionHandler.self)
        let connection = ThriftClientConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        handler.onConnectionReset = { [weak connection] in connection?.markNotReusable() }
        handler.mayCloseWhenIdle = { [weak connection] in connection.map(mayCloseWhenIdle) ?? true }
        return connection
      }.get()
    } catch let error as RPCError {
      throw error
    } catch {
      throw RPCError(.connectFailed, "cannot connect to \(instance): \(error)")
    }
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

  func close() {
    channel.close(promise: nil)
  }
}
