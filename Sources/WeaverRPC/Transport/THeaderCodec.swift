import NIOCore
import WeaverThrift

/// Apache Thrift's (and fbthrift's) THeader: the TTHeader skeleton with magic `0x0FFF`,
/// and varints for the protocol id, transforms, info ids, counts and string lengths.
///
/// Only the KEYVALUE info block (0x01) is read; unknown info ids end the header, as Apache
/// readers do. Transforms (zlib) are refused with a clear error.
enum THeaderCodec {
  static let magic: UInt16 = 0x0FFF

  static func decode(_ body: inout ByteBuffer) throws(ThriftFrameError) -> ThriftFrame {
    guard let magic = body.readInteger(as: UInt16.self), magic == Self.magic,
      let flags = body.readInteger(as: UInt16.self), let sequenceID = body.readInteger(as: Int32.self),
      let words = body.readInteger(as: UInt16.self)
    else { throw ThriftFrameError("THeader frame too short") }
    guard var header = body.readSlice(length: Int(words) * 4) else {
      throw ThriftFrameError("THeader header of \(Int(words) * 4) bytes does not fit its frame")
    }
    let protocolID = try readVarint(&header)
    let `protocol`: ThriftProtocolID
    switch protocolID {
    case 0: `protocol` = .binary
    case 2: `protocol` = .compact
    default: throw ThriftFrameError("THeader protocol id \(protocolID) is not Thrift binary (0) or compact (2)")
    }
    let transforms = try readVarint(&header)
    guard transforms == 0 else {
      throw ThriftFrameError("THeader transforms (zlib and others) are not supported; \(transforms) present")
    }
    var decoded = ThriftFrameHeader(sequenceID: sequenceID, flags: flags)
    var pairs = ReceivedStringPairs()
    while header.readableBytes > 0 {
      let infoID = try readVarint(&header)
      guard infoID == 0x01 else { break }  // padding (0) or an info type we do not know: stop
      let count = try readVarint(&header)
      for index in 0..<count {
        let key = try readBytes(&header)
        // (Each pair takes at least 2 bytes: a peer's count cannot reserve more than it sends.)
        pairs.receive(key: key, value: try readString(&header), left: Int(min(count - index, UInt64(header.readableBytes / 2 + 1))))
      }
    }
    pairs.store(in: &decoded)
    return ThriftFrame(transport: .theader, protocol: `protocol`, header: decoded, message: body)
  }

  private static var truncated: ThriftFrameError { ThriftFrameError("THeader header is truncated") }

  static func readVarint(_ buffer: inout ByteBuffer) throws(ThriftFrameError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard let byte = buffer.readInteger(as: UInt8.self) else { throw truncated }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
      guard shift < 64 else { throw ThriftFrameError("THeader varint is longer than 10 bytes") }
    }
  }

  private static func readString(_ header: inout ByteBuffer) throws(ThriftFrameError) -> String {
    String(buffer: try readBytes(&header))
  }

  private static func readBytes(_ header: inout ByteBuffer) throws(ThriftFrameError) -> ByteBuffer {
    let length = try readVarint(&header)
    guard length <= UInt64(header.readableBytes), let bytes = header.readSlice(length: Int(length)) else { throw truncated }
    return bytes
  }

  static func writeVarint(_ value: UInt64, into buffer: inout ByteBuffer) {
    var value = value
    while value >= 0x80 {
      buffer.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    buffer.writeInteger(UInt8(value))
  }

  /// Appends everything of a THeader frame that comes before its message (the length field
  /// counts the message too).
  static func encodePrefix(_ frame: ThriftFrame, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    let header = frame.header ?? ThriftFrameHeader()
    let start = buffer.writerIndex
    buffer.writeInteger(UInt32(0))
    buffer.writeInteger(Self.magic)
    buffer.writeInteger(header.flags)
    buffer.writeInteger(header.sequenceID)
    let sizeIndex = buffer.writerIndex
    buffer.writeInteger(UInt16(0))
    let headerStart = buffer.writerIndex
    writeVarint(frame.protocol == .compact ? 2 : 0, into: &buffer)
    writeVarint(0, into: &buffer)  // no transforms
    if header.stringPairCount > 0 {
      writeVarint(0x01, into: &buffer)
      writeVarint(UInt64(header.stringPairCount), into: &buffer)
      header.withStringPairsInWireOrder { pairs in
        for pair in pairs {
          writeVarint(UInt64(pair.wireKeyLength), into: &buffer)
          pair.writeKey(into: &buffer)
          writeVarint(UInt64(pair.value.utf8.count), into: &buffer)
          buffer.writeString(pair.value)
        }
      }
    }
    let headerSize = buffer.writerIndex - headerStart
    let padding = (4 - headerSize % 4) % 4
    buffer.writeRepeatingByte(0, count: padding)
    guard (headerSize + padding) / 4 <= Int(UInt16.max) else {
      throw ThriftFrameError("THeader header of \(headerSize) bytes is too large")
    }
    buffer.setInteger(UInt16((headerSize + padding) / 4), at: sizeIndex)
    buffer.setInteger(UInt32(buffer.writerIndex - start - 4 + frame.message.readableBytes), at: start)
  }
}
