import NIOCore
import WeaverThrift

/// Turns a client connection's bytes into ``ThriftFrame``s (see ``ThriftFrameReader``);
/// bytes that are no frame close the connection with an error.
final class ThriftFrameDecoderHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ThriftFrame

  private var reader: ThriftFrameReader

  init(transport: ThriftTransport, maxFrameSize: Int, limits: ThriftLimits) {
    self.reader = ThriftFrameReader(transport: transport, maxFrameSize: maxFrameSize, limits: limits)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    reader.append(unwrapInboundIn(data))
    do {
      while let frame = try reader.next() {
        context.fireChannelRead(wrapInboundOut(frame))
      }
    } catch {
      reader.reset()
      context.fireErrorCaught(error)
      context.close(promise: nil)
    }
  }
}

/// Writes ``ThriftFrame``s (see ``ThriftFrameCodec/encodeForWriting(_:allocator:)``).
final class ThriftFrameEncoderHandler: ChannelOutboundHandler, RemovableChannelHandler {
  typealias OutboundIn = ThriftFrame
  typealias OutboundOut = ByteBuffer

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    do {
      let (first, second) = try ThriftFrameCodec.encodeForWriting(unwrapOutboundIn(data), allocator: context.channel.allocator)
      if let second {
        context.write(wrapOutboundOut(first), promise: nil)
        context.write(wrapOutboundOut(second), promise: promise)
      } else {
        context.write(wrapOutboundOut(first), promise: promise)
      }
    } catch {
      promise?.fail(error)
    }
  }
}
