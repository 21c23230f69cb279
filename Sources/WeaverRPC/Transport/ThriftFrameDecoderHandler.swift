import NIOCore
import WeaverThrift

/// Turns a connection's bytes into ``ThriftFrame``s.
///
/// On a server the transport is detected from the first bytes and then kept for the
/// connection; a client fixes it. Frames over `maxFrameSize` close the connection with an
/// error, and so does a frame left half-received for longer than `partialFrameTimeout`
/// (slowloris), without affecting other connections.
final class ThriftFrameDecoderHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ThriftFrame

  private var transport: ThriftTransport?
  private let maxFrameSize: Int
  private let limits: ThriftLimits
  private let partialFrameTimeout: TimeAmount?
  private var pending: ByteBuffer?
  private var partialFrameTimer: Scheduled<Void>?

  init(transport: ThriftTransport?, maxFrameSize: Int, limits: ThriftLimits, partialFrameTimeout: TimeAmount?) {
    self.transport = transport
    self.maxFrameSize = min(maxFrameSize, ThriftFrameCodec.hardMaxFrameSize)
    self.limits = limits
    self.partialFrameTimeout = partialFrameTimeout
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var incoming = unwrapInboundIn(data)
    if pending == nil {
      pending = incoming
    } else {
      pending!.writeBuffer(&incoming)
    }
    do {
      while let frame = try nextFrame() {
        context.fireChannelRead(wrapInboundOut(frame))
      }
    } catch {
      fail(context: context, error)
      return
    }
    if let remaining = pending, remaining.readableBytes > 0 {
      startPartialFrameTimer(context: context)
    } else {
      pending = nil
      partialFrameTimer?.cancel()
      partialFrameTimer = nil
    }
  }

  private func nextFrame() throws -> ThriftFrame? {
    guard var buffer = pending, buffer.readableBytes > 0 else { return nil }
    if transport == nil {
      guard let detected = try ThriftFrameCodec.detectTransport(buffer) else { return nil }
      transport = detected
    }
    pending = nil  // so the decoder's slices do not force a copy
    defer { pending = buffer }
    guard let frame = try ThriftFrameCodec.decodeFrame(from: &buffer, transport: transport!, maxFrameSize: maxFrameSize, limits: limits) else {
      return nil
    }
    // A frame started: restart the clock for the next one.
    partialFrameTimer?.cancel()
    partialFrameTimer = nil
    return frame
  }

  private func startPartialFrameTimer(context: ChannelHandlerContext) {
    guard partialFrameTimer == nil, let timeout = partialFrameTimeout else { return }
    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    partialFrameTimer = context.eventLoop.scheduleTask(in: timeout) {
      let (handler, context) = loopBound.value
      handler.fail(context: context, ThriftFrameError("a frame stayed incomplete for \(timeout.nanoseconds / 1_000_000) ms"))
    }
  }

  private func fail(context: ChannelHandlerContext, _ error: any Error) {
    partialFrameTimer?.cancel()
    partialFrameTimer = nil
    pending = nil
    context.fireErrorCaught(error)
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    partialFrameTimer?.cancel()
    partialFrameTimer = nil
    context.fireChannelInactive()
  }
}

/// Writes ``ThriftFrame``s: the frame prefix and the message as two buffers, so the message
/// is never copied.
final class ThriftFrameEncoderHandler: ChannelOutboundHandler, RemovableChannelHandler {
  typealias OutboundIn = ThriftFrame
  typealias OutboundOut = ByteBuffer

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let frame = unwrapOutboundIn(data)
    if frame.transport == .buffered {
      context.write(wrapOutboundOut(frame.message), promise: promise)
      return
    }
    var prefix = context.channel.allocator.buffer(capacity: 64)
    do {
      try ThriftFrameCodec.encodePrefix(frame, into: &prefix)
    } catch {
      promise?.fail(error)
      return
    }
    context.write(wrapOutboundOut(prefix), promise: nil)
    context.write(wrapOutboundOut(frame.message), promise: promise)
  }
}
