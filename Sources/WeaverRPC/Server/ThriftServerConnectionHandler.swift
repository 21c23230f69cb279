import Logging
import NIOCore
import WeaverThrift

/// Serves one connection, on its event loop: cuts its bytes into frames (closing it on bytes
/// that are no frame, on a frame left half-received past the partial-frame timeout, and
/// when idle), runs the calls, and writes the replies.
///
/// Each call runs in a task that prefers the connection's event loop as its executor, so a
/// call is read, handled and answered on one thread. On TTHeader and THeader connections
/// calls run concurrently and are answered as they finish (up to the per-connection limit;
/// beyond it they are refused as overloaded). On Framed and unframed connections replies
/// must keep request order: calls run one at a time, and reading pauses while the queue is
/// full. A call whose deadline passes is cancelled and answered with an error at once.
/// Replies written in one event loop tick go out in one flush; reading pauses while replies
/// pile up unread (``OutboundBackpressure``).
///
/// Draining (graceful shutdown): calls already read are answered, their replies carrying
/// `crrst`; once none is left the server sends a last frame saying so (header transports,
/// ``ThriftHeaderKey/drained``), stops sending, and reads and discards what still arrives
/// until the client closes or ``ThriftServerConfiguration/closeLinger`` passes. Closing at
/// once would meet requests already on their way with a reset, which can destroy replies
/// the client has not read yet.
final class ThriftServerConnectionHandler: ChannelDuplexHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundIn = Never
  typealias OutboundOut = ByteBuffer

  private struct PendingCall {
    var call: ThriftRoutedCall
    var task: Task<Void, Never>?
    var deadlineTimer: Scheduled<Void>?
  }

  private let router: ThriftCallRouter
  private let admission: CallsInFlightLimit
  private let connection: ThriftServerConnection
  private let maxCallsInFlight: Int
  private let partialFrameTimeout: TimeAmount
  private let logger: Logger
  private var reader: ThriftFrameReader
  private let idleTimer: ConnectionIdleTimer
  private var partialFrameTimer: Scheduled<Void>?
  private var context: ChannelHandlerContext?
  private var executor: EventLoopTaskExecutor?
  private var calls: [UInt64: PendingCall] = [:]
  private var nextCallID: UInt64 = 0
  /// Framed and unframed: frames waiting for the call before them to be answered.
  private var waiting = CircularBuffer<ThriftFrame>()
  private var orderedCallRunning = false
  /// Framed and unframed: bytes of the frames in `waiting`.
  private var waitingBytes = 0
  private let maxWaitingBytes: Int
  private var readHeld = false
  private let writer = CoalescedFrameWriter()
  private let backpressure: OutboundBackpressure
  private let closeLinger: TimeAmount
  /// Draining and done: output is closed, input is read and discarded.
  private var lingering = false
  private var awaitingFirstFrame = false
  /// Draining a Framed or unframed connection: calls are answered as refused.
  private var refusingCalls = false
  private var protocolSeen: ThriftProtocolID = .binary

  init(
    router: ThriftCallRouter, admission: CallsInFlightLimit, connection: ThriftServerConnection,
    limits: ThriftServerConfiguration.Limits, closeLinger: Duration, logger: Logger
  ) {
    self.router = router
    self.admission = admission
    self.connection = connection
    self.maxCallsInFlight = limits.maxConcurrentRequestsPerConnection
    self.partialFrameTimeout = limits.partialFrameTimeout.timeAmount
    self.logger = logger
    self.reader = ThriftFrameReader(transport: nil, maxFrameSize: limits.maxFrameSize, limits: limits.protocolLimits)
    self.idleTimer = ConnectionIdleTimer(timeout: limits.idleTimeout.timeAmount)
    self.maxWaitingBytes = limits.maxQueuedRequestBytes
    self.backpressure = OutboundBackpressure(limits: limits)
    self.closeLinger = closeLinger.timeAmount
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    self.executor = EventLoopTaskExecutor(context.eventLoop)
    if context.channel.isActive { idleTimer.start(context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    idleTimer.start(context)
    context.fireChannelActive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
  }

  // MARK: Reading

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    idleTimer.touch()
    guard !lingering else { return }  // the client was told: nothing read now is processed
    reader.append(unwrapInboundIn(data))
    do {
      while let frame = try reader.next() {
        partialFrameTimer?.cancel()
        partialFrameTimer = nil
        accept(frame)
      }
    } catch {
      fail(context: context, error)
      return
    }
    if reader.hasPartialFrame && partialFrameTimer == nil {
      let this = NIOLoopBound(self, eventLoop: context.eventLoop)
      let timeout = partialFrameTimeout
      partialFrameTimer = context.eventLoop.scheduleTask(in: timeout) {
        guard let context = this.value.context else { return }
        this.value.fail(context: context, ThriftFrameError("a frame stayed incomplete for \(timeout.nanoseconds / 1_000_000) ms"))
      }
    }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(context: context, error)
  }

  private func fail(context: ChannelHandlerContext, _ error: any Error, level: Logger.Level = .debug) {
    logger.log(level: level, "Thrift connection closed", metadata: ["reason": "\(error)"])
    partialFrameTimer?.cancel()
    partialFrameTimer = nil
    reader.reset()
    context.close(promise: nil)
  }

  private func accept(_ frame: ThriftFrame) {
    protocolSeen = frame.protocol
    if refusingCalls, let context {
      let exception = TApplicationException(.loadShedding, "server shutting down: the call was not processed")
      if let reply = router.refusal(frame, exception) { write(reply) }
      return stopSendingAndLinger(context)
    }
    if frame.transport.isMultiplexed {
      guard calls.count < maxCallsInFlight else {
        refuse(frame, "too many calls in flight on this connection")
        return
      }
      start(frame)
    } else {
      waiting.append(frame)
      waitingBytes += frame.message.readableBytes
      startNextInOrder()
    }
  }

  /// Holds reads back while replies pile up unread, or a Framed/unframed connection has a
  /// full queue.
  func read(context: ChannelHandlerContext) {
    if holdsReads(context) {
      readHeld = true
    } else {
      context.read()
    }
  }

  private func holdsReads(_ context: ChannelHandlerContext) -> Bool {
    guard !lingering else { return false }  // read on, to see the client close
    return waiting.count >= maxCallsInFlight || waitingBytes >= maxWaitingBytes || backpressure.holdsReads(context)
  }

  private func resumeReadingIfHeld() {
    guard readHeld, let context, !holdsReads(context) else { return }
    readHeld = false
    context.read()
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    backpressure.writabilityChanged(context) { context in
      this.value.fail(context: context, ThriftFrameError("the peer read no reply for the write-stall timeout"), level: .warning)
    }
    resumeReadingIfHeld()
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    idleTimer.stop()
    backpressure.stop()
    partialFrameTimer?.cancel()
    partialFrameTimer = nil
    for pending in calls.values {
      pending.task?.cancel()
      pending.deadlineTimer?.cancel()
      admission.release()
    }
    calls = [:]
    waiting.removeAll()
    waitingBytes = 0
    context.fireChannelInactive()
  }

  // MARK: Calls

  private func startNextInOrder() {
    guard !orderedCallRunning, let frame = waiting.popFirst() else { return }
    waitingBytes -= frame.message.readableBytes
    resumeReadingIfHeld()
    orderedCallRunning = true
    start(frame)
  }

  private func start(_ frame: ThriftFrame) {
    guard admission.reserve() else {
      refuse(frame, "server overloaded: too many calls in flight")
      return
    }
    switch router.route(frame) {
    case .reply(let reply):
      admission.release()
      if let reply { write(reply) }
      callEnded()
    case .call(let call):
      run(call)
    }
  }

  private func run(_ call: ThriftRoutedCall) {
    guard let context, let executor else { return admission.release() }
    let id = nextCallID
    nextCallID &+= 1
    let eventLoop = context.eventLoop
    let this = NIOLoopBound(self, eventLoop: eventLoop)
    let router = self.router
    var pending = PendingCall(call: call)
    if let deadline = call.context.deadline {
      let remaining = ContinuousClock.now.duration(to: deadline)
      pending.deadlineTimer = eventLoop.scheduleTask(in: remaining.timeAmount) { this.value.expire(id) }
    }
    // The task starts on this event loop after the current read, so `calls` holds it first.
    pending.task = Task(executorPreference: executor) {
      let reply = await router.run(call)
      if eventLoop.inEventLoop {
        this.value.finish(id, reply)
      } else {
        eventLoop.execute { this.value.finish(id, reply) }
      }
    }
    calls[id] = pending
  }

  private func finish(_ id: UInt64, _ reply: ThriftFrame?) {
    guard let pending = calls.removeValue(forKey: id) else { return }  // answered at its deadline
    pending.deadlineTimer?.cancel()
    admission.release()
    if let reply { write(reply) }
    callEnded()
  }

  private func expire(_ id: UInt64) {
    guard let pending = calls.removeValue(forKey: id) else { return }
    pending.task?.cancel()
    admission.release()
    if let reply = router.deadlineReply(for: pending.call) { write(reply) }
    callEnded()
  }

  private func callEnded() {
    if orderedCallRunning {
      orderedCallRunning = false
      startNextInOrder()
    }
    closeIfDrained()
  }

  /// During a graceful shutdown, once no call is left (and no frame is half-received):
  /// says so on header transports, stops sending, and lingers until the client closes.
  func closeIfDrained() {
    guard connection.isClosing, !lingering, calls.isEmpty, waiting.isEmpty, !orderedCallRunning, let context else { return }
    guard let transport = reader.transport else { return awaitFirstFrame(context) }
    guard !reader.hasPartialFrame else { return }  // its call is answered when it completes
    if transport.isMultiplexed {
      write(router.drainedNotice(transport: transport, protocol: protocolSeen))
      stopSendingAndLinger(context)
    } else {
      refuseUntilClosed(context)
    }
  }

  /// Framed and unframed replies cannot say "do not reuse": the client may send one more
  /// call at any moment. For ``ThriftServerConfiguration/closeLinger`` such a call is
  /// answered as refused (`loadShedding`: not processed, safe to send elsewhere), and then
  /// the connection closes; a connection that sends nothing closes when it passes.
  private func refuseUntilClosed(_ context: ChannelHandlerContext) {
    guard !refusingCalls else { return }
    refusingCalls = true
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    context.eventLoop.scheduleTask(in: closeLinger) { this.value.context?.close(promise: nil) }
  }

  /// Sends what is queued, closes the sending side, and reads (and discards) until the
  /// client closes or ``ThriftServerConfiguration/closeLinger`` passes.
  private func stopSendingAndLinger(_ context: ChannelHandlerContext) {
    lingering = true
    writer.flushNow(context)
    let lingered = context.eventLoop.makePromise(of: Void.self)
    context.close(mode: .output, promise: lingered)
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    let timer = context.eventLoop.scheduleTask(in: closeLinger) { this.value.context?.close(promise: nil) }
    lingered.futureResult.whenFailure { _ in this.value.context?.close(promise: nil) }  // no half-close (TLS): close now
    context.channel.closeFuture.whenComplete { _ in timer.cancel() }
  }

  /// A draining connection that has sent nothing yet (just opened: its first call may be on
  /// the way) gets a moment to send it; its calls are then served like any other's. Silent
  /// past that, it is closed.
  private func awaitFirstFrame(_ context: ChannelHandlerContext) {
    guard !awaitingFirstFrame else { return }
    awaitingFirstFrame = true
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    let grace = min(closeLinger, Self.firstFrameGrace)
    context.eventLoop.scheduleTask(in: grace) {
      let handler = this.value
      if handler.reader.transport == nil && !handler.reader.hasPartialFrame { handler.context?.close(promise: nil) }
    }
  }

  /// How long a draining connection that has sent nothing may take to send its first call.
  static let firstFrameGrace = TimeAmount.milliseconds(250)

  private func refuse(_ frame: ThriftFrame, _ reason: String) {
    let exception = TApplicationException(.internalError, reason)
    if let reply = router.refusal(frame, exception, extraHeaders: [ThriftHeaderKey.overloaded: "1"]) { write(reply) }
    callEnded()
  }

  // MARK: Writing

  private func write(_ reply: ThriftFrame) {
    guard let context else { return }
    var reply = reply
    if connection.isClosing, reply.header != nil {
      reply.header?.strings[ThriftHeaderKey.connectionReset] = "1"  // Kitex: do not reuse this connection
    }
    idleTimer.touch()
    do {
      // Ordered connections have one reply at a time: nothing to coalesce.
      try writer.write(reply, to: context, promise: nil, coalescing: reply.transport.isMultiplexed)
    } catch {
      logger.error("Thrift reply could not be framed", metadata: ["error": "\(error)"])
    }
    if let overflow = backpressure.overflow(context) {
      fail(context: context, ThriftFrameError(overflow), level: .warning)
    }
  }
}
