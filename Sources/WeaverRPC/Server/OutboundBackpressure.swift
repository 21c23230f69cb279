import NIOCore

/// Keeps one server connection from queueing replies without bound when its peer does not
/// read them: reading stops while the channel is unwritable (above its high-water mark, see
/// ``ThriftServerConfiguration/Limits/outboundHighWaterMark``), a connection whose queued
/// replies pass ``ThriftServerConfiguration/Limits/maxQueuedReplyBytes`` is closed, and so is
/// one that stays unwritable for ``ThriftServerConfiguration/Limits/writeStallTimeout``.
/// Used on the channel's event loop only.
final class OutboundBackpressure {
  private let maxQueuedBytes: Int
  private let stallTimeout: TimeAmount
  private var stallTimer: Scheduled<Void>?

  init(limits: ThriftServerConfiguration.Limits) {
    self.maxQueuedBytes = limits.maxQueuedReplyBytes
    self.stallTimeout = limits.writeStallTimeout.timeAmount
  }

  /// Whether reading should pause because replies are piling up.
  func holdsReads(_ context: ChannelHandlerContext) -> Bool {
    !context.channel.isWritable
  }

  /// After a write: the reason to close the connection, if its queue is over the cap. (The
  /// queue is measured only when the channel is above its high-water mark, so the common
  /// path costs one atomic load.)
  func overflow(_ context: ChannelHandlerContext) -> String? {
    guard !context.channel.isWritable,
      let queued = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes),
      queued > maxQueuedBytes
    else { return nil }
    return "\(queued) reply bytes queued for a peer that does not read them (limit \(maxQueuedBytes))"
  }

  /// Starts or stops the stall timer as writability changes; `onStall` runs if the channel
  /// stays unwritable for the whole timeout.
  func writabilityChanged(_ context: ChannelHandlerContext, onStall: @escaping (ChannelHandlerContext) -> Void) {
    if context.channel.isWritable {
      stop()
    } else if stallTimer == nil {
      let bound = NIOLoopBound((context, onStall), eventLoop: context.eventLoop)
      stallTimer = context.eventLoop.scheduleTask(in: stallTimeout) {
        let (context, onStall) = bound.value
        if !context.channel.isWritable { onStall(context) }
      }
    }
  }

  func stop() {
    stallTimer?.cancel()
    stallTimer = nil
  }
}
