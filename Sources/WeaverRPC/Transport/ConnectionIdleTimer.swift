import NIOCore

/// Closes a connection that has had no reads or writes for `timeout`. Activity only stores
/// a timestamp; a single timer per connection wakes when the connection could first have
/// become idle and re-arms itself from the last activity. (Cheaper per call than NIO's
/// `IdleStateHandler`, which sits in the pipeline for every read and write.) Used on the
/// channel's event loop only.
final class ConnectionIdleTimer {
  private let timeout: TimeAmount
  private var lastActivity = NIODeadline.now()
  private var timer: Scheduled<Void>?
  /// Asked before an idle connection is closed; false keeps it open for another period.
  var mayClose: (@Sendable () -> Bool)?

  init(timeout: TimeAmount) {
    self.timeout = timeout
  }

  /// Starts (or restarts) the timer; a handler may call it from both `handlerAdded` and
  /// `channelActive`.
  func start(_ context: ChannelHandlerContext) {
    timer?.cancel()
    lastActivity = .now()
    arm(context, at: lastActivity + timeout)
  }

  /// Records activity now.
  func touch() {
    lastActivity = .now()
  }

  func stop() {
    timer?.cancel()
    timer = nil
  }

  private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    timer = context.eventLoop.scheduleTask(deadline: deadline) {
      let (idleTimer, context) = loopBound.value
      idleTimer.fire(context)
    }
  }

  private func fire(_ context: ChannelHandlerContext) {
    guard timer != nil else { return }
    let idleSince = lastActivity
    let now = NIODeadline.now()
    guard now - idleSince >= timeout else { return arm(context, at: idleSince + timeout) }
    guard mayClose?() ?? true else { return arm(context, at: now + timeout) }
    timer = nil
    context.close(promise: nil)
  }
}
