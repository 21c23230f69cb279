import NIOCore

/// Reading pauses while a connection's replies pile up unread (``OutboundBackpressure``) or,
/// on Framed and unframed connections, while too many requests wait their turn.
extension ThriftServerConnectionHandler {
  /// Holds reads back while replies pile up unread, or a Framed/unframed connection has a
  /// full queue.
  func read(context: ChannelHandlerContext) {
    if holdsReads(context) {
      readHeld = true
    } else {
      context.read()
    }
  }

  fileprivate func holdsReads(_ context: ChannelHandlerContext) -> Bool {
    guard drain != .lingering else { return false }  // read on, to see the client close
    return waiting.count >= maxCallsInFlight || waiting.bytes >= maxWaitingBytes || backpressure.holdsReads(context)
  }

  func resumeReadingIfHeld() {
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
}
