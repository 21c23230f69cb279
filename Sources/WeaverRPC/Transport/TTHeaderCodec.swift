import NIOCore
import WeaverThrift

/// Kitex's TTHeader (`cloudwego/gopkg` protocol/ttheader): all integers big-endian.
///
/// ```
/// u32 length (of everything after it) | u16 magic 0x1000 | u16 flags | i32 sequence id
/// u16 header size in 4-byte words | header: u8 protocol id, u8 transform count, transform ids,
/// info blocks (0x01 string pairs, 0x10 int-keyed pairs, 0x11 ACL token, 0x00 padding)
/// payload
/// ```
enum TTHeaderCodec {
  static let magic: UInt16 = 0x1000
  /// Kitex refuses headers larger than this.
  static let maxHeaderSize = 4 * Int(UInt16.max)

  /// Decodes the body of a frame (everything after the length field).
  static func decode(_ body: inout ByteBuffer) throws(ThriftFrameError) -> ThriftFrame {
    guard let magic = body.readInteger(as: UInt16.self), magic == Self.magic,
      let flags = body.readInteger(as: UInt16.self), let sequenceID = body.readInteger(as: Int32.self),
      let words = body.readInteger(as: UInt16.self)
    else { throw ThriftFrameError("TTHeader frame too short") }
    let headerSize = Int(words) * 4
    guard headerSize >= 2, var header = body.readSlice(length: headerSize) else {
      throw ThriftFrameError("TTHeader header of \(headerSize) bytes does not fit its frame")
    }
    let protocolID = header.readInteger(as: UInt8.self)!
    let `protocol`: ThriftProtocolID
    switch protocolID {
    case 0: `protocol` = .binary
    case 2: `protocol` = .compact
    default: throw ThriftFrameError("TTHeader protocol id \(protocolID) is not Thrift binary (0) or compact (2)")
    }
    let transforms = header.readInteger(as: UInt8.self)!
    guard transforms == 0 else { throw ThriftFrameError("TTHeader transforms are not supported (\(transforms) present)") }
    var decoded = ThriftFrameHeader(sequenceID: sequenceID, flags: flags)
    while let infoID = header.readInteger(as: UInt8.self) {
      switch infoID {
      case 0x00:
        continue
      case 0x01:
        guard let count = header.readInteger(as: UInt16.self) else { throw truncated }
        for _ in 0..<count {
          let key = try readString(&header)
          decoded.strings[key] = try readString(&header)
        }
      case 0x10:
        guard let count = header.readInteger(as: UInt16.self) else { throw truncated }
        for _ in 0..<count {
          guard let key = header.readInteger(as: UInt16.self) else { throw truncated }
          decoded.ints[key] = try readString(&header)
        }
      case 0x11:
        decoded.strings["gdpr-token"] = try readString(&header)
      default:
        throw ThriftFrameError("TTHeader info id 0x\(String(infoID, radix: 16)) is not one Kitex defines")
      }
    }
    return ThriftFrame(transport: .ttheader, protocol: `protocol`, header: decoded, message: body)
  }

  private static var truncated: ThriftFrameError { ThriftFrameError("TTHeader header is truncated") }

  private static func readString(_ header: inout ByteBuffer) throws(ThriftFrameError) -> String {
    guard let length = header.readInteger(as: UInt16.self), let bytes = header.readSlice(length: Int(length)) else {
      throw truncated
    }
    return String(buffer: bytes)
  }

  /// Appends everything of a TTHeader frame that comes before its message (the length
  /// field counts the message too).
  static func encodePrefix(_ frame: ThriftFrame, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    let header = frame.header ?? ThriftFrameHeader()
    let start = buffer.writerIndex
    buffer.writeInteger(UInt32(0))  // length, filled in below
    buffer.writeInteger(Self.magic)
    buffer.writeInteger(header.flags)
    buffer.writeInteger(header.sequenceID)
    let sizeIndex = buffer.writerIndex
    buffer.writeInteger(UInt16(0))  // header size, filled in below
    let headerStart = buffer.writerIndex
    buffer.writeInteger(UInt8(frame.protocol == .compact ? 2 : 0))
    buffer.writeInteger(UInt8(0))  // no transforms
    if !header.strings.isEmpty {
      buffer.writeInteger(UInt8(0x01))
      buffer.writeInteger(UInt16(truncatingIfNeeded: header.strings.count))
      for (key, value) in header.strings.sorted(by: { $0.key < $1.key }) {
        try writeString(key, into: &buffer)
        try writeString(value, into: &buffer)
      }
    }
    if !header.ints.isEmpty {
      buffer.writeInteger(UInt8(0x10))
      buffer.writeInteger(UInt16(truncatingIfNeeded: header.ints.count))
      for (key, value) in header.ints.sorted(by: { $0.key < $1.key }) {
        buffer.writeInteger(key)
        try writeString(value, into: &buffer)
      }
    }
    let headerSize = buffer.writerIndex - headerStart
    let padding = (4 - headerSize % 4) % 4
    buffer.writeRepeatingByte(0, count: padding)
    guard headerSize + padding <= maxHeaderSize else {
      throw ThriftFrameError("TTHeader header of \(headerSize) bytes is over Kitex's limit of \(maxHeaderSize)")
    }
    buffer.setInteger(UInt16((headerSize + padding) / 4), at: sizeIndex)
    buffer.setInteger(UInt32(buffer.writerIndex - start - 4 + frame.message.readableBytes), at: start)
  }

  private static func writeString(_ value: String, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    let length = value.utf8.count
    guard length <= Int(UInt16.max) else { throw ThriftFrameError("TTHeader strings are at most 65535 bytes; one is \(length)") }
    buffer.writeInteger(UInt16(length))
    buffer.writeString(value)
  }
}
