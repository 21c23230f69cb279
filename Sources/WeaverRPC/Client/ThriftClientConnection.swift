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
  private let handler: NIOLoopBound<ThriftClientResponseHandler>
  /// Calls waiting for a reply on this connection.
  let inFlight = Atomic<Int>(0)
  private let reusable = Atomic<Bool>(true)

  private init(channel: any Channel, handler: NIOLoopBound<ThriftClientResponseHandler>) {
    self.channel = channel
    self.handler = handler
  }

  /// Whether new calls may use this connection (false once closed, or after the server
  /// asked clients to stop reusing it).
  var isReusable: Bool { reusable.load(ordering: .relaxed) && channel.isActive }

  func markNotReusable() { reusable.store(false, ordering: .relaxed) }

  /// Connects to `instance`, within the configured connect timeout.
  static func connect(
    to instance: Instance, configuration: ThriftClientConfiguration, group: any EventLoopGroup
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
          try handlers.addHandler(IdleStateHandler(allTimeout: configuration.idleTimeout.timeAmount))
          try handlers.addHandler(IdleConnectionCloser())
          try handlers.addHandler(
            ThriftFrameDecoderHandler(
              transport: configuration.transport, maxFrameSize: configuration.maxFrameSize,
              limits: configuration.protocolLimits))
          try handlers.addHandler(ThriftFrameEncoderHandler())
          try handlers.addHandler(ThriftClientResponseHandler(limits: configuration.protocolLimits))
        }
      }
    do {
      let channel = try await bootstrap.connect(host: instance.host, port: instance.port).get()
      return try await channel.eventLoop.submit {
        guard channel.isActive else {
          throw RPCError(.connectionClosed, "\(instance) closed the connection as soon as it accepted it (is its connection limit reached?)")
        }
        let handler = try channel.pipeline.syncOperations.handler(type: ThriftClientResponseHandler.self)
        let connection = ThriftClientConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        handler.onConnectionReset = { [weak connection] in connection?.markNotReusable() }
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
    let channel = self.channel
    let timeout = deadline.map { ContinuousClock.now.duration(to: $0) }
    eventLoop.execute {
      handler.value.send(frame, sequenceID: sequenceID, expectsReply: expectsReply, timeout: timeout?.timeAmount, promise: promise, channel: channel)
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

/// Keeps the calls waiting on one connection; runs on the connection's event loop.
final class ThriftClientResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ThriftFrame
  typealias OutboundOut = ThriftFrame

  private struct Pending {
    var promise: EventLoopPromise<ThriftFrame?>
    var timeout: Scheduled<Void>?
  }

  private var pending: [Int32: Pending] = [:]
  private var closedError: RPCError?
  private let limits: ThriftLimits
  /// Called when the server says not to reuse the connection (`crrst`).
  var onConnectionReset: (@Sendable () -> Void)?

  init(limits: ThriftLimits) {
    self.limits = limits
  }

  func send(
    _ frame: ThriftFrame, sequenceID: Int32, expectsReply: Bool, timeout: TimeAmount?,
    promise: EventLoopPromise<ThriftFrame?>, channel: any Channel
  ) {
    if let closedError {
      promise.fail(closedError)
      return
    }
    guard expectsReply else {
      channel.writeAndFlush(frame).whenComplete { result in
        switch result {
        case .success: promise.succeed(nil)
        case .failure(let error): promise.fail(RPCError(.connectionClosed, "could not send: \(error)"))
        }
      }
      return
    }
    var entry = Pending(promise: promise)
    if let timeout {
      let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
      entry.timeout = channel.eventLoop.scheduleTask(in: timeout) {
        loopBound.value.fail(sequenceID: sequenceID, RPCError(.deadlineExceeded, "no reply within the deadline"))
      }
    }
    pending[sequenceID] = entry
    channel.writeAndFlush(frame).whenFailure { [loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)] error in
      loopBound.value.fail(sequenceID: sequenceID, RPCError(.connectionClosed, "could not send: \(error)"))
    }
  }

  func fail(sequenceID: Int32, _ error: RPCError) {
    guard let entry = pending.removeValue(forKey: sequenceID) else { return }
    entry.timeout?.cancel()
    entry.promise.fail(error)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    if frame.header?.strings[ThriftHeaderKey.connectionReset] != nil { onConnectionReset?() }
    let sequenceID: Int32
    if let header = frame.header {
      sequenceID = header.sequenceID
    } else {
      var message = frame.message
      guard let messageHeader = try? frame.protocol.readMessageBegin(from: &message, limits: limits) else {
        failAll(RPCError(.protocolError, "reply without a readable message header"))
        context.close(promise: nil)
        return
      }
      sequenceID = messageHeader.sequenceID
    }
    // A reply to a call that already gave up is dropped.
    guard let entry = pending.removeValue(forKey: sequenceID) else { return }
    entry.timeout?.cancel()
    entry.promise.succeed(frame)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let rpcError: RPCError
    switch error {
    case let error as RPCError: rpcError = error
    case is ThriftFrameError, is ThriftProtocolError: rpcError = RPCError(.protocolError, "\(error)")
    default: rpcError = RPCError(.connectionClosed, "the connection failed: \(error)")  // resets, TLS errors
    }
    closedError = rpcError
    failAll(rpcError)
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    let error = closedError ?? RPCError(.connectionClosed, "the connection closed with calls in flight")
    closedError = error
    failAll(error)
    context.fireChannelInactive()
  }

  private func failAll(_ error: RPCError) {
    let entries = pending
    pending = [:]
    for entry in entries.values {
      entry.timeout?.cancel()
      entry.promise.fail(error)
    }
  }
}
