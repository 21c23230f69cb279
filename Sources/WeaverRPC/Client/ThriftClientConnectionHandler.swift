import NIOCore
import WeaverCore
import WeaverThrift

/// Runs one client connection on its event loop: writes request frames, cuts the reply
/// bytes into frames and hands each to the call waiting for its sequence id (from the frame
/// header, or the message header on Framed and unframed connections). Calls time out at
/// their deadline; when the connection fails or closes every waiting call fails with a
/// clear ``RPCError``. Requests written in one event loop tick go out in one flush.
///
/// The idle timer runs only while the pool holds the connection idle (``startIdleTimer()``),
/// never from the moment it opens, so a connection cannot close before its first call. When
/// a draining server has said it answered everything it read (``ThriftHeaderKey/drained``),
/// calls still waiting when the connection closes fail with `shuttingDown`, which the
/// client knows is safe to send again.
final class ThriftClientConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = Never
  typealias OutboundOut = ByteBuffer

  private struct Pending {
    var promise: EventLoopPromise<ThriftFrame?>
    var timeout: Scheduled<Void>?
  }

  private var reader: ThriftFrameReader
  private let idleTimer: ConnectionIdleTimer
  /// Exclusive (Framed, unframed) connections carry one call at a time: nothing to coalesce.
  private let coalescesFlushes: Bool
  private let limits: ThriftLimits
  private var context: ChannelHandlerContext?
  private var pending: [Int32: Pending] = [:]
  private var closedError: RPCError?
  /// The server said it answered every call it read and reads no more.
  private var drainedByServer = false
  private let writer: CoalescedFrameWriter
  private let statistics: TransportStatistics
  /// Called when the server says not to reuse the connection (`crrst`).
  var onConnectionReset: (@Sendable () -> Void)?
  /// Asked when the connection has been idle for the idle timeout: false keeps it open.
  var mayCloseWhenIdle: (@Sendable () -> Bool)? {
    get { idleTimer.mayClose }
    set { idleTimer.mayClose = newValue }
  }

  init(configuration: ThriftClientConfiguration, statistics: TransportStatistics) {
    self.statistics = statistics
    self.writer = CoalescedFrameWriter(statistics: statistics)
    self.limits = configuration.protocolLimits
    self.reader = ThriftFrameReader(
      transport: configuration.transport, maxFrameSize: configuration.maxFrameSize, limits: configuration.protocolLimits)
    self.idleTimer = ConnectionIdleTimer(timeout: configuration.idleTimeout.timeAmount)
    self.coalescesFlushes = configuration.transport.isMultiplexed
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  /// Starts (or restarts) idle timing: the pool calls this when the connection's last call
  /// has ended.
  func startIdleTimer() {
    guard let context, context.channel.isActive else { return }
    idleTimer.start(context)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
  }

  // MARK: Sending

  /// Writes `frame`; `promise` gets the reply (or nil once a oneway call is written).
  func send(_ frame: ThriftFrame, sequenceID: Int32, expectsReply: Bool, timeout: TimeAmount?, promise: EventLoopPromise<ThriftFrame?>) {
    if let closedError { return promise.fail(closedError) }
    guard let context else { return promise.fail(RPCError(.connectionClosed, "the connection is closed")) }
    // Oneway calls are done once written. Otherwise a failed write closes the channel, and
    // closing fails every waiting call.
    let written: EventLoopPromise<Void>? = expectsReply ? nil : context.eventLoop.makePromise()
    do {
      idleTimer.touch()
      try writer.write(frame, to: context, promise: written, coalescing: coalescesFlushes)
    } catch {
      return promise.fail(RPCError(.protocolError, "cannot frame the request: \(error)"))
    }
    if let written {
      written.futureResult.whenComplete { result in
        switch result {
        case .success: promise.succeed(nil)
        case .failure(let error): promise.fail(RPCError(.connectionClosed, "could not send: \(error)"))
        }
      }
      return
    }
    var entry = Pending(promise: promise)
    if let timeout {
      let this = NIOLoopBound(self, eventLoop: context.eventLoop)
      entry.timeout = context.eventLoop.scheduleTask(in: timeout) {
        this.value.fail(sequenceID: sequenceID, RPCError(.deadlineExceeded, "no reply within the deadline"))
      }
    }
    pending[sequenceID] = entry
  }

  /// Fails the call waiting for `sequenceID` (timeout, cancellation).
  func fail(sequenceID: Int32, _ error: RPCError) {
    guard let entry = pending.removeValue(forKey: sequenceID) else { return }
    entry.timeout?.cancel()
    entry.promise.fail(error)
  }

  // MARK: Receiving

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    idleTimer.touch()
    let bytes = unwrapInboundIn(data)
    statistics.received(bytes.readableBytes)
    reader.append(bytes)
    do {
      while let frame = try reader.next() {
        try deliver(frame)
      }
    } catch {
      fail(context: context, RPCError(.protocolError, "\(error)"))
    }
  }

  private func deliver(_ frame: ThriftFrame) throws(RPCError) {
    if let strings = frame.header?.strings, strings[ThriftHeaderKey.connectionReset] != nil {
      if strings[ThriftHeaderKey.drained] != nil { drainedByServer = true }
      onConnectionReset?()
    }
    let sequenceID: Int32
    if let header = frame.header {
      sequenceID = header.sequenceID
    } else {
      var message = frame.message
      guard let messageHeader = try? frame.protocol.readMessageBegin(from: &message, limits: limits) else {
        throw RPCError(.protocolError, "reply without a readable message header")
      }
      sequenceID = messageHeader.sequenceID
    }
    // A reply to a call that already gave up is dropped.
    guard let entry = pending.removeValue(forKey: sequenceID) else { return }
    entry.timeout?.cancel()
    entry.promise.succeed(frame)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    switch error {
    case let error as RPCError: fail(context: context, error)
    case is ThriftFrameError, is ThriftProtocolError: fail(context: context, RPCError(.protocolError, "\(error)"))
    default:
      // Resets, TLS errors. After the server said it read no more, waiting calls were not processed.
      let code: RPCError.Code = drainedByServer ? .shuttingDown : .connectionClosed
      fail(context: context, RPCError(code, "the connection failed: \(error)"))
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    idleTimer.stop()
    let error =
      closedError
      ?? (drainedByServer
        ? RPCError(.shuttingDown, "the server shut down this connection before reading the call; it was not processed")
        : RPCError(.connectionClosed, "the connection closed with calls in flight"))
    closedError = error
    failAll(error)
    context.fireChannelInactive()
  }

  private func fail(context: ChannelHandlerContext, _ error: RPCError) {
    reader.reset()
    closedError = error
    failAll(error)
    context.close(promise: nil)
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
