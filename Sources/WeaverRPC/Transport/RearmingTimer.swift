import NIOCore

/// One event-loop timer a connection arms and re-arms itself, for checks that only store a
/// timestamp on the hot path (idle connections, stalled frames) instead of scheduling and
/// cancelling a timer per event. `fire` runs on the loop unless the timer was stopped
/// first. Used on the channel's event loop only.
final class RearmingTimer {
  private var timer: Scheduled<Void>?

  var isArmed: Bool { timer != nil }

  /// Arms the timer for `deadline` (replacing one armed); at the deadline it disarms and
  /// runs `fire`, which may arm it again.
  func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline, _ fire: @escaping (ChannelHandlerContext) -> Void) {
    timer?.cancel()
    let loopBound = NIOLoopBound((self, context, fire), eventLoop: context.eventLoop)
    timer = context.eventLoop.scheduleTask(deadline: deadline) {
      let (owner, context, fire) = loopBound.value
      guard owner.timer != nil else { return }  // stopped after the task was already due
      owner.timer = nil
      fire(context)
    }
  }

  func stop() {
    timer?.cancel()
    timer = nil
  }
}
