import NIOCore

/// Writes ``ThriftFrame``s to a channel and flushes once per event loop tick: the first
/// write of a tick schedules the flush, later ones in the same tick ride along, so replies
/// (or requests) made together leave in one `writev`. Used on the channel's event loop only.
final class CoalescedFrameWriter {
  private var flushScheduled = false
  private let statistics: TransportStatistics

  init(statistics: TransportStatistics) {
    self.statistics = statistics
  }

  /// Frames `frame` and writes it; `promise` completes when it is written. Without
  /// `coalescing` it is flushed at once (a connection that has one frame at a time).
  func write(
    _ frame: ThriftFrame, to context: ChannelHandlerContext, promise: EventLoopPromise<Void>?, coalescing: Bool = true
  ) throws(ThriftFrameError) {
    let (first, second) = try ThriftFrameCodec.encodeForWriting(frame, allocator: context.channel.allocator)
    statistics.sent(first.readableBytes + (second?.readableBytes ?? 0))
    if let second {
      context.write(NIOAny(first), promise: nil)
      context.write(NIOAny(second), promise: promise)
    } else {
      context.write(NIOAny(first), promise: promise)
    }
    guard coalescing else {
      flushScheduled = false
      context.flush()
      return
    }
    guard !flushScheduled else { return }
    flushScheduled = true
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    context.eventLoop.execute {
      let (writer, context) = loopBound.value
      writer.flushNow(context)
    }
  }

  /// Flushes now if a flush is pending (before closing, say).
  func flushNow(_ context: ChannelHandlerContext) {
    guard flushScheduled else { return }
    flushScheduled = false
    context.flush()
  }
}
