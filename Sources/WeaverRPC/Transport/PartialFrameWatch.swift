import NIOCore

/// Closes a connection whose frame stays half-received for `timeout` (slowloris), without a
/// timer per frame. A frame often arrives in two reads — Apache Thrift's Go and Java
/// clients write a Framed call's 4-byte size and its body in two `write`s — and scheduling
/// and cancelling an event-loop timer each time costs an allocation, the timer heap and a
/// `timerfd_settime` per call. Here a partial frame only stores when it began; one timer
/// per connection, armed when a partial frame finds none armed, wakes at the earliest
/// moment that frame could have stalled and re-arms from the partial frame in progress, if
/// any. Used on the channel's event loop only.
final class PartialFrameWatch {
  private let timeout: TimeAmount
  /// When the frame in progress began arriving; nil between frames.
  private var partialSince: NIODeadline?
  private let timer = RearmingTimer()
  /// Runs (once) when a frame stayed half-received for the timeout, with the timeout.
  var onStall: ((ChannelHandlerContext, TimeAmount) -> Void)?

  init(timeout: TimeAmount) {
    self.timeout = timeout
  }

  /// Called after each read: `partial` tells whether a frame is now half-received.
  func update(partial: Bool, _ context: ChannelHandlerContext) {
    guard partial else {
      partialSince = nil
      return
    }
    let since = partialSince ?? .now()
    partialSince = since
    if !timer.isArmed { arm(context, at: since + timeout) }
  }

  /// A frame completed within the read (another may have begun: `update` follows).
  func frameCompleted() {
    partialSince = nil
  }

  func stop() {
    timer.stop()
    partialSince = nil
  }

  private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
    timer.arm(context, at: deadline) { context in self.fire(context) }
  }

  private func fire(_ context: ChannelHandlerContext) {
    guard let since = partialSince else { return }  // between frames: disarmed until the next partial one
    guard NIODeadline.now() - since >= timeout else { return arm(context, at: since + timeout) }
    partialSince = nil
    onStall?(context, timeout)
  }
}
