import WeaverCore
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

  struct PendingCall {
    var call: ThriftRoutedCall
    var task: Task<Void, Never>?
    var deadlineTimer: Scheduled<Void>?
  }

  let router: ThriftCallRouter
  private let admission: CallsInFlightLimit
  let connection: ThriftServerConnection
  let maxCallsInFlight: Int
  private let logger: Logger
  var reader: ThriftFrameReader
  private let idleTimer: ConnectionIdleTimer
  private let partialFrames: PartialFrameWatch
  var context: ChannelHandlerContext?
  private var executor: EventLoopTaskExecutor?
  var calls: [UInt64: PendingCall] = [:]
  private var nextCallID: UInt64 = 0
  /// Framed and unframed: frames waiting for the call before them to be answered.
  var waiting = WaitingFrames()
  var orderedCallRunning = false
  let maxWaitingBytes: Int
  var readHeld = false
  let writer: CoalescedFrameWriter
  let statistics: TransportStatistics
  let backpressure: OutboundBackpressure
  let closeLinger: TimeAmount
  /// Where the connection is in a graceful shutdown (ThriftServerConnectionHandler+Drain).
  var drain = DrainState.serving
  var protocolSeen: ThriftProtocolID = .binary

  init(
    router: ThriftCallRouter, admission: CallsInFlightLimit, connection: ThriftServerConnection,
    limits: ThriftServerConfiguration.Limits, closeLinger: Duration, statistics: TransportStatistics, logger: Logger
  ) {
    self.statistics = statistics
    self.writer = CoalescedFrameWriter(statistics: statistics)
    self.router = router
    self.admission = admission
    self.connection = connection
    self.maxCallsInFlight = limits.maxConcurrentRequestsPerConnection
    self.partialFrames = PartialFrameWatch(timeout: limits.partialFrameTimeout.timeAmount)
    self.logger = logger
    self.reader = ThriftFrameReader(transport: nil, maxFrameSize: limits.maxFrameSize, limits: limits.protocolLimits)
    self.idleTimer = ConnectionIdleTimer(timeout: limits.idleTimeout.timeAmount)
    self.maxWaitingBytes = limits.maxQueuedRequestBytes
    self.backpressure = OutboundBackpressure(limits: limits)
    self.closeLinger = closeLinger.timeAmount
    partialFrames.onStall = { [weak self] context, timeout in
      self?.fail(context: context, ThriftFrameError("a frame stayed incomplete for \(timeout.nanoseconds / 1_000_000) ms"))
    }
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
    guard drain != .lingering else { return }  // the client was told: nothing read now is processed
    let bytes = unwrapInboundIn(data)
    statistics.received(bytes.readableBytes)
    reader.append(bytes)
    do {
      while let frame = try reader.next() {
        partialFrames.frameCompleted()
        accept(frame)
      }
    } catch {
      fail(context: context, error)
      return
    }
    partialFrames.update(partial: reader.hasPartialFrame, context)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(context: context, error)
  }

  func fail(context: ChannelHandlerContext, _ error: any Error, level: Logger.Level = .debug) {
    logger.log(level: level, "Thrift connection closed", metadata: ["reason": "\(error)"])
    partialFrames.stop()
    reader.reset()
    context.close(promise: nil)
  }

  private func accept(_ frame: ThriftFrame) {
    protocolSeen = frame.protocol
    if drain == .refusingCalls { return refuseAsShuttingDown(frame) }
    if frame.transport.isMultiplexed {
      guard calls.count < maxCallsInFlight else {
        refuse(frame, RPCError(.overloaded, "server overloaded: too many calls in flight on this connection"))
        return
      }
      start(frame)
    } else {
      waiting.append(frame)
      startNextInOrder()
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    idleTimer.stop()
    backpressure.stop()
    partialFrames.stop()
    for pending in calls.values {
      pending.task?.cancel()
      pending.deadlineTimer?.cancel()
      admission.release()
    }
    calls = [:]
    waiting.removeAll()
    context.fireChannelInactive()
  }

  // MARK: Calls

  private func startNextInOrder() {
    guard !orderedCallRunning, let frame = waiting.popFirst() else { return }
    resumeReadingIfHeld()
    orderedCallRunning = true
    start(frame)
  }

  private func start(_ frame: ThriftFrame) {
    guard admission.reserve() else {
      refuse(frame, RPCError(.overloaded, "server overloaded: too many calls in flight"))
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

  private func refuse(_ frame: ThriftFrame, _ error: RPCError) {
    if let reply = router.refusalReply(for: frame, error) { write(reply) }
    callEnded()
  }

  // MARK: Writing

  func write(_ reply: ThriftFrame) {
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
