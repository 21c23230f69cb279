import NIOCore
import WeaverThrift

/// Reads and writes ``ThriftFrame``s in every transport: pure functions on `ByteBuffer`, so
/// the byte layouts can be tested without a channel.
public enum ThriftFrameCodec {
  /// The largest frame any of these transports can describe.
  public static let hardMaxFrameSize = 0x3FFF_FFFF

  /// Which transport a connection speaks, judged from its first bytes: `0x80 0x01` is
  /// unframed strict binary, `0x82` unframed compact; otherwise a 4-byte length followed by
  /// TTHeader's `0x1000`, THeader's `0x0FFF`, or a framed binary or compact message.
  /// Returns nil until enough bytes have arrived.
  public static func detectTransport(_ buffer: ByteBuffer) throws(ThriftFrameError) -> ThriftTransport? {
    guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
    if first == 0x80 {
      guard let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
      if second == 0x01 { return .buffered }
    }
    if first == 0x82 { return .buffered }
    guard let magic = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt16.self) else { return nil }
    switch magic {
    case 0x1000: return .ttheader
    case 0x0FFF: return .theader
    case 0x8001: return .framed
    default:
      if magic >> 8 == 0x82 { return .framed }
      throw ThriftFrameError(
        "not a Thrift transport: first bytes \(buffer.readableBytesView.prefix(6).map { String($0, radix: 16) }.joined(separator: " "))")
    }
  }

  /// The payload protocol of a message, from its first byte.
  static func payloadProtocol(of message: ByteBuffer) throws(ThriftFrameError) -> ThriftProtocolID {
    switch message.getInteger(at: message.readerIndex, as: UInt8.self) {
    case 0x80: return .binary
    case 0x82: return .compact
    case let byte:
      throw ThriftFrameError("message starts with \(byte.map { "0x" + String($0, radix: 16) } ?? "nothing"), not a binary or compact message header")
    }
  }

  /// Reads one frame from the front of `buffer`, advancing past it; returns nil, consuming
  /// nothing, if the frame is not complete yet.
  public static func decodeFrame(
    from buffer: inout ByteBuffer, transport: ThriftTransport, maxFrameSize: Int, limits: ThriftLimits = .default
  ) throws(ThriftFrameError) -> ThriftFrame? {
    switch transport {
    case .buffered:
      return try decodeUnframed(from: &buffer, maxFrameSize: maxFrameSize, limits: limits)
    case .framed, .ttheader, .theader:
      guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
      guard length > 0, Int(length) <= maxFrameSize - 4 else {
        throw ThriftFrameError("frame of \(length) bytes is over the limit of \(maxFrameSize)")
      }
      guard buffer.readableBytes >= 4 + Int(length) else { return nil }
      buffer.moveReaderIndex(forwardBy: 4)
      var body = buffer.readSlice(length: Int(length))!
      switch transport {
      case .framed:
        return ThriftFrame(transport: .framed, protocol: try payloadProtocol(of: body), message: body)
      case .ttheader:
        return try TTHeaderCodec.decode(&body)
      default:
        return try THeaderCodec.decode(&body)
      }
    }
  }

  /// An unframed message ends where its struct ends: parse it to find out.
  private static func decodeUnframed(from buffer: inout ByteBuffer, maxFrameSize: Int, limits: ThriftLimits) throws(ThriftFrameError) -> ThriftFrame? {
    guard buffer.readableBytes > 0 else { return nil }
    let `protocol` = try payloadProtocol(of: buffer)
    var scan = buffer
    do {
      switch `protocol` {
      case .binary:
        try ThriftBinaryReader.read(&scan, limits: limits) { reader throws(ThriftProtocolError) in
          _ = try reader.readMessageBegin()
          try reader.skip(.struct)
        }
      case .compact:
        try ThriftCompactReader.read(&scan, limits: limits) { reader throws(ThriftProtocolError) in
          _ = try reader.readMessageBegin()
          try reader.skip(.struct)
        }
      }
    } catch {
      if error.code == .endOfInput {
        guard buffer.readableBytes < maxFrameSize else {
          throw ThriftFrameError("unframed message is over the limit of \(maxFrameSize) bytes")
        }
        return nil
      }
      throw ThriftFrameError("malformed unframed message: \(error)")
    }
    let length = buffer.readableBytes - scan.readableBytes
    return ThriftFrame(transport: .buffered, protocol: `protocol`, message: buffer.readSlice(length: length)!)
  }

  /// Appends `frame` to `buffer` in its transport's layout.
  public static func encode(_ frame: ThriftFrame, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    try encodePrefix(frame, into: &buffer)
    var message = frame.message
    buffer.writeBuffer(&message)
  }

  /// Messages up to this size are copied behind their prefix and written as one buffer;
  /// larger ones are written as a second buffer, uncopied.
  static let copyLimit = 4096

  /// The bytes to write for `frame`: one buffer for small messages, else the prefix and the
  /// message itself.
  static func encodeForWriting(_ frame: ThriftFrame, allocator: ByteBufferAllocator) throws(ThriftFrameError) -> (ByteBuffer, ByteBuffer?) {
    if frame.transport == .buffered { return (frame.message, nil) }
    let small = frame.message.readableBytes <= copyLimit
    var buffer = allocator.buffer(capacity: 64 + (small ? frame.message.readableBytes : 0))
    try encodePrefix(frame, into: &buffer)
    guard small else { return (buffer, frame.message) }
    buffer.writeImmutableBuffer(frame.message)
    return (buffer, nil)
  }

  /// Appends the bytes that precede `frame`'s message (nothing for unframed messages), so a
  /// channel can write them and the message as two buffers without copying the message.
  public static func encodePrefix(_ frame: ThriftFrame, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    switch frame.transport {
    case .buffered:
      return
    case .framed:
      buffer.writeInteger(UInt32(frame.message.readableBytes))
    case .ttheader:
      try TTHeaderCodec.encodePrefix(frame, into: &buffer)
    case .theader:
      try THeaderCodec.encodePrefix(frame, into: &buffer)
    }
  }
}
