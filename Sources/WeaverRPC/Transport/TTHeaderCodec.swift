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
    guard headerSize >= 2, let header = body.readSlice(length: headerSize) else {
      throw ThriftFrameError("TTHeader header of \(headerSize) bytes does not fit its frame")
    }
    var decoded = ThriftFrameHeader(sequenceID: sequenceID, flags: flags)
    let result = header.withUnsafeReadableBytes { bytes in
      Result { () throws(ThriftFrameError) in
        var input = RawBytesReader(bytes)
        return try decodeHeader(&input, into: &decoded)
      }
    }
    return ThriftFrame(transport: .ttheader, protocol: try result.get(), header: decoded, message: body)
  }

  /// Reads the header's protocol, transforms and info blocks into `decoded`.
  private static func decodeHeader(_ input: inout RawBytesReader, into decoded: inout ThriftFrameHeader) throws(ThriftFrameError) -> ThriftProtocolID {
    let protocolID = input.read(UInt8.self)!
    let `protocol`: ThriftProtocolID
    switch protocolID {
    case 0: `protocol` = .binary
    case 2: `protocol` = .compact
    default: throw ThriftFrameError("TTHeader protocol id \(protocolID) is not Thrift binary (0) or compact (2)")
    }
    let transforms = input.read(UInt8.self)!
    guard transforms == 0 else { throw ThriftFrameError("TTHeader transforms are not supported (\(transforms) present)") }
    var pairs = ReceivedStringPairs()
    while let infoID = input.read(UInt8.self) {
      switch infoID {
      case 0x00:
        continue
      case 0x01:
        guard let count = input.read(UInt16.self) else { throw truncated }
        for index in 0..<Int(count) {
          let key = try readBytes(&input)
          // (Each pair takes at least 4 bytes: a peer's count cannot reserve more than it sends.)
          pairs.receive(key: key, value: try readString(&input), left: min(Int(count) - index, input.remaining / 4 + 1))
        }
      case 0x10:
        guard let count = input.read(UInt16.self) else { throw truncated }
        if decoded.ints.isEmpty { decoded.ints = Dictionary(minimumCapacity: min(Int(count), input.remaining / 4)) }
        for _ in 0..<count {
          guard let key = input.read(UInt16.self) else { throw truncated }
          decoded.ints[key] = try readString(&input)
        }
      case 0x11:
        pairs.strings["gdpr-token"] = try readString(&input)
      default:
        throw ThriftFrameError("TTHeader info id 0x\(String(infoID, radix: 16)) is not one Kitex defines")
      }
    }
    pairs.store(in: &decoded)
    return `protocol`
  }

  private static var truncated: ThriftFrameError { ThriftFrameError("TTHeader header is truncated") }

  private static func readString(_ input: inout RawBytesReader) throws(ThriftFrameError) -> String {
    String(decoding: try readBytes(&input), as: UTF8.self)
  }

  private static func readBytes(_ input: inout RawBytesReader) throws(ThriftFrameError) -> UnsafeRawBufferPointer {
    guard let length = input.read(UInt16.self), let bytes = input.read(count: Int(length)) else { throw truncated }
    return bytes
  }

  /// Appends everything of a TTHeader frame that comes before its message (the length
  /// field counts the message too): sizes first, then one write through a raw pointer.
  static func encodePrefix(_ frame: ThriftFrame, into buffer: inout ByteBuffer) throws(ThriftFrameError) {
    let header = frame.header ?? ThriftFrameHeader()
    let messageLength = frame.message.readableBytes
    let protocolID = UInt8(frame.protocol == .compact ? 2 : 0)
    let error: ThriftFrameError? = header.withStringPairsInWireOrder { pairs in
      withIntPairsInKeyOrder(header.ints) { ints in
        // The header: protocol id, transform count, the two info blocks, padding.
        var headerSize = 2
        if !pairs.isEmpty { headerSize += 3 }
        for pair in pairs {
          let longest = max(pair.wireKeyLength, pair.value.utf8.count)
          guard longest <= Int(UInt16.max) else { return ThriftFrameError("TTHeader strings are at most 65535 bytes; one is \(longest)") }
          headerSize += 4 + pair.wireKeyLength + pair.value.utf8.count
        }
        if !ints.isEmpty { headerSize += 3 }
        for (_, value) in ints {
          guard value.utf8.count <= Int(UInt16.max) else { return ThriftFrameError("TTHeader strings are at most 65535 bytes; one is \(value.utf8.count)") }
          headerSize += 4 + value.utf8.count
        }
        let padding = (4 - headerSize % 4) % 4
        guard headerSize + padding <= maxHeaderSize else {
          return ThriftFrameError("TTHeader header of \(headerSize) bytes is over Kitex's limit of \(maxHeaderSize)")
        }
        let prefixLength = 14 + headerSize + padding
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: prefixLength) { raw in
          var out = RawBytesWriter(raw.baseAddress!)
          out.write(UInt32(prefixLength - 4 + messageLength))
          out.write(Self.magic)
          out.write(header.flags)
          out.write(header.sequenceID)
          out.write(UInt16((headerSize + padding) / 4))
          out.write(protocolID)
          out.write(UInt8(0))  // no transforms
          if !pairs.isEmpty {
            out.write(UInt8(0x01))
            out.write(UInt16(pairs.count))
            for pair in pairs {
              out.write(UInt16(pair.wireKeyLength))
              if pair.kind != .plain { out.write(pair.prefix) }
              out.write(pair.key)
              out.write(UInt16(pair.value.utf8.count))
              out.write(pair.value)
            }
          }
          if !ints.isEmpty {
            out.write(UInt8(0x10))
            out.write(UInt16(ints.count))
            for (key, value) in ints {
              out.write(key)
              out.write(UInt16(value.utf8.count))
              out.write(value)
            }
          }
          out.writeZeros(padding)
          return out.offset
        }
        return nil
      }
    }
    if let error { throw error }
  }

  /// The int pairs in key order, sorted in temporary (stack) memory.
  private static func withIntPairsInKeyOrder<R>(_ ints: [UInt16: String], _ body: (UnsafeMutableBufferPointer<(UInt16, String)>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: (UInt16, String).self, capacity: ints.count) { pairs in
      var pairs = pairs
      var count = 0
      for (key, value) in ints {
        (pairs.baseAddress! + count).initialize(to: (key, value))
        count += 1
      }
      defer { if count > 0 { pairs.baseAddress!.deinitialize(count: count) } }
      if count > 1 { pairs.sort { $0.0 < $1.0 } }
      return body(pairs)
    }
  }
}
