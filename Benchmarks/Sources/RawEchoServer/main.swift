// The local ceiling for the peer comparison: a SwiftNIO server that answers a Framed +
// binary echo call with the least work possible. It does not decode the call: it turns the
// request frame into the reply in place (message type call → reply, argument field 1 →
// result field 0, which is exactly the echo reply) and writes it back.
import Foundation
import NIOCore
import NIOPosix

/// Splits the stream into 4-byte-length-prefixed frames, prefix included.
struct FrameSplitter: ByteToMessageDecoder {
  typealias InboundOut = ByteBuffer

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
    guard length <= 16 << 20 else { throw ChannelError.inputClosed }
    guard let frame = buffer.readSlice(length: 4 + Int(length)) else { return .needMoreData }
    context.fireChannelRead(Self.wrapInboundOut(frame))
    return .continue
  }
}

/// Rewrites each call frame into its echo reply and sends it back.
final class ReplyInPlace: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var frame = unwrapInboundIn(data)
    let start = frame.readerIndex
    // [length][0x80 0x01 0x00 type][name length][name][seq id][field type][field id]...
    guard let nameLength = frame.getInteger(at: start + 8, as: UInt32.self) else {
      context.close(promise: nil)
      return
    }
    frame.setInteger(UInt8(2), at: start + 7)  // reply
    frame.setInteger(UInt16(0), at: start + 12 + Int(nameLength) + 4 + 1)  // field 1 → 0
    context.write(wrapOutboundOut(frame), promise: nil)
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    context.flush()
  }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let port = Int(arguments[1]) else {
  print("usage: RawEchoServer PORT [THREADS]")
  exit(2)
}
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let channel = try ServerBootstrap(group: group)
  .serverChannelOption(.backlog, value: 1024)
  .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
  .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
  .childChannelInitializer { channel in
    channel.eventLoop.makeCompletedFuture {
      try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameSplitter()))
      try channel.pipeline.syncOperations.addHandler(ReplyInPlace())
    }
  }
  .bind(host: "127.0.0.1", port: port).wait()
print("listening on 127.0.0.1:\(channel.localAddress?.port ?? port)")
try channel.closeFuture.wait()
