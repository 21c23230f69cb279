import WeaverCore
import NIOCore
import WeaverThrift

extension ThriftServerConnectionHandler {
  /// A connection's graceful-shutdown lifecycle. `serving` until the server drains; then,
  /// once no call is left: a connection that never spoke waits briefly for its first call
  /// (`awaitingFirstFrame`); a header connection is told it is drained and stops sending
  /// (`lingering`); a Framed or unframed one answers further calls as refused
  /// (`refusingCalls`) until one comes or the linger passes, then lingers too.
  enum DrainState: Equatable {
    case serving
    case awaitingFirstFrame
    case refusingCalls
    case lingering
  }

  /// Answers a call that arrived on a draining Framed or unframed connection: refused as
  /// `loadShedding` (not processed, safe to send elsewhere), then the connection lingers.
  func refuseAsShuttingDown(_ frame: ThriftFrame) {
    guard let context else { return }
    if let reply = router.refusalReply(for: frame, RPCError(.shuttingDown, "server shutting down: the call was not processed")) { write(reply) }
    stopSendingAndLinger(context)
  }

  /// During a graceful shutdown, once no call is left (and no frame is half-received):
  /// says so on header transports, stops sending, and lingers until the client closes.
  func closeIfDrained() {
    guard connection.isClosing, drain == .serving || drain == .awaitingFirstFrame, calls.isEmpty, waiting.isEmpty, !orderedCallRunning, let context else { return }
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
  fileprivate func refuseUntilClosed(_ context: ChannelHandlerContext) {
    drain = .refusingCalls
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    context.eventLoop.scheduleTask(in: closeLinger) { this.value.context?.close(promise: nil) }
  }

  /// Sends what is queued, closes the sending side, and reads (and discards) until the
  /// client closes or ``ThriftServerConfiguration/closeLinger`` passes.
  fileprivate func stopSendingAndLinger(_ context: ChannelHandlerContext) {
    drain = .lingering
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
  fileprivate func awaitFirstFrame(_ context: ChannelHandlerContext) {
    guard drain == .serving else { return }
    drain = .awaitingFirstFrame
    let this = NIOLoopBound(self, eventLoop: context.eventLoop)
    let grace = min(closeLinger, Self.firstFrameGrace)
    context.eventLoop.scheduleTask(in: grace) {
      let handler = this.value
      if handler.reader.transport == nil && !handler.reader.hasPartialFrame { handler.context?.close(promise: nil) }
    }
  }

  /// How long a draining connection that has sent nothing may take to send its first call.
  static let firstFrameGrace = TimeAmount.milliseconds(250)
}
