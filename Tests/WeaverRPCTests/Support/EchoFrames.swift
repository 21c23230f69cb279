import NIOCore
import WeaverBench
import WeaverRPC
import WeaverThrift

/// Echo request frames, encoded by hand, for clients that misbehave.
enum EchoFrames {
  /// An `echo` call with a message of `bytes` bytes, framed for `transport`.
  static func request(bytes: Int, transport: ThriftTransport, sequenceID: Int32 = 1) throws -> ByteBuffer {
    var message = ByteBuffer()
    ThriftProtocolID.binary.writeMessageBegin(ThriftMessageHeader(name: "echo", type: .call, sequenceID: sequenceID), into: &message)
    ThriftProtocolID.binary.encode(EchoService.EchoArgs(req: EchoRequest(message: String(repeating: "x", count: bytes))), into: &message)
    return try frame(message, transport: transport, sequenceID: sequenceID)
  }

  /// `message` in a frame of `transport`.
  static func frame(_ message: ByteBuffer, transport: ThriftTransport, sequenceID: Int32 = 1) throws -> ByteBuffer {
    let header = transport.isMultiplexed ? ThriftFrameHeader(sequenceID: sequenceID) : nil
    var bytes = ByteBuffer()
    try ThriftFrameCodec.encode(ThriftFrame(transport: transport, protocol: .binary, header: header, message: message), into: &bytes)
    return bytes
  }
}
