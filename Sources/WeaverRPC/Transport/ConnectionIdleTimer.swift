import NIOCore

/// Closes a connection that has had no reads or writes for `timeout`. Activity only stores
/// a timestamp; a single timer per connection wakes when the connection could first have
/// become idle and re-arms itself from the last activity. (Cheaper per call than NIO's
/// `IdleStateHandler`, which sits in the pipeline for every read and write.) Used on the
/// channel's event loop only.
final class ConnectionIdleTimer {
  private let timeout: TimeAmount
  private var lastActivity = NIODeadline.now()
  private let timer = RearmingTimer()
  /// Asked before an idle connection is closed; false keeps it open for another period.
  var mayClose: (@Sendable () -> Bool)?

  init(timeout: TimeAmount) {
    self.timeout = timeout
  }

  /// Starts (or restarts) the timer; a handler may call it from both `handlerAdded` and
  /// `channelActive`.
  func start(_ context: ChannelHandlerContext) {
    lastActivity = .now()
    arm(context, at: lastActivity + timeout)
  }

  /// Records activity now.
  func touch() {
    lastActivity = .now()
  }

  func stop() {
    timer.stop()
  }

  private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
    timer.arm(context, at: deadline) { context in self.fire(context) }
  }

  private func fire(_ context: ChannelHandlerContext) {
    let idleSince = lastActivity
    let now = NIODeadline.now()
    guard now - idleSince >= timeout else { return arm(context, at: idleSince + timeout) }
    guard mayClose?() ?? true else { return arm(context, at: now + timeout) }
    context.close(promise: nil)
  }
}
