import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the Thrift binary protocol: big-endian fixed-width integers, `i32` lengths.
///
/// Accepts both strict message headers (`0x8001` version word) and the old non-strict form
/// unless ``strictRead`` is set. Get one with ``read(_:limits:strictRead:_:)``.
public struct ThriftBinaryReader: ThriftProtocolReader {
  @usableFromInline var input: ThriftInput
  public let limits: ThriftLimits
  /// Reject non-strict (versionless) message headers.
  public var strictRead: Bool
  @usableFromInline var depth = 0

  @inlinable
  init(input: ThriftInput, limits: ThriftLimits, strictRead: Bool) {
    self.input = input
    self.limits = limits
    self.strictRead = strictRead
  }

  /// Runs `body` with a reader over `buffer`'s readable bytes, then advances `buffer` past
  /// what was read.
  @inlinable
  public static func read<Result>(
    _ buffer: inout ByteBuffer, limits: ThriftLimits = .default, strictRead: Bool = false,
    _ body: (inout ThriftBinaryReader) throws(ThriftProtocolError) -> Result
  ) throws(ThriftProtocolError) -> Result {
    try withThriftInput(&buffer) { input throws(ThriftProtocolError) in
      var reader = ThriftBinaryReader(input: input, limits: limits, strictRead: strictRead)
      defer { input = reader.input }
      return try body(&reader)
    }
  }

  @inlinable
  public var bytesRemaining: Int { input.remaining }

  @inlinable
  mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: StaticString) throws(ThriftProtocolError) -> T {
    try input.readBigEndian(T.self, what)
  }

  @inlinable
  mutating func readType() throws(ThriftProtocolError) -> ThriftType {
    let raw = try readInteger(UInt8.self, "type id")
    guard let type = ThriftType.valueType(wire: raw) else { throw .unknownType(raw) }
    return type
  }

  /// The fewest bytes a value of `type` takes in this protocol.
  @inlinable
  static func minimumSize(of type: ThriftType) -> Int {
    switch type.rawValue {
    case 6: return 2  // i16
    case 8, 11: return 4  // i32; string (its length)
    case 4, 10: return 8  // double, i64
    case 14, 15: return 5  // set, list
    case 13: return 6  // map
    case 16: return 16  // uuid
    default: return 1  // bool, byte, struct
    }
  }

  public mutating func readMessageBegin() throws(ThriftProtocolError) -> ThriftMessageHeader {
    let first = try readInteger(Int32.self, "message header")
    let name: String
    let rawType: UInt8
    if first < 0 {
      let word = UInt32(bitPattern: first)
      guard word & 0xFFFF_0000 == 0x8001_0000 else {
        throw ThriftProtocolError(.badVersion, "bad binary protocol version 0x\(String(word & 0xFFFF_0000, radix: 16))")
      }
      rawType = UInt8(truncatingIfNeeded: word)
      name = try readString()
    } else {
      guard !strictRead else {
        throw ThriftProtocolError(.badVersion, "message header has no protocol version (strict read)")
      }
      name = try input.readString(checkedLength(Int64(first), limits: limits))
      rawType = try readInteger(UInt8.self, "message type")
    }
    guard let type = ThriftMessageType(rawValue: rawType) else {
      throw ThriftProtocolError(.invalidData, "unknown message type \(rawType)")
    }
    let sequenceID = try readInteger(Int32.self, "sequence id")
    return ThriftMessageHeader(name: name, type: type, sequenceID: sequenceID)
  }

  @inlinable
  public mutating func readStructBegin() throws(ThriftProtocolError) -> ThriftStructScope {
    depth += 1
    guard depth <= limits.maxDepth else { throw .depthLimit(limits.maxDepth) }
    return ThriftStructScope(lastFieldID: 0)
  }

  @inlinable
  public mutating func readStructEnd(_ scope: ThriftStructScope) {
    depth -= 1
  }

  @inlinable
  public mutating func readFieldBegin() throws(ThriftProtocolError) -> ThriftFieldHeader {
    let raw = try readInteger(UInt8.self, "field header")
    if raw == 0 { return ThriftFieldHeader(type: .stop, id: 0) }
    guard let type = ThriftType.valueType(wire: raw) else { throw .unknownType(raw) }
    return ThriftFieldHeader(type: type, id: try readInteger(Int16.self, "field id"))
  }

  @inlinable
  public mutating func readListBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    let elementType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "list size")), minimumElementSize: Self.minimumSize(of: elementType),
      available: input.remaining, limits: limits, what: "list")
    return ThriftCollectionHeader(elementType: elementType, count: count)
  }

  @inlinable
  public mutating func readSetBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    let elementType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "set size")), minimumElementSize: Self.minimumSize(of: elementType),
      available: input.remaining, limits: limits, what: "set")
    return ThriftCollectionHeader(elementType: elementType, count: count)
  }

  @inlinable
  public mutating func readMapBegin() throws(ThriftProtocolError) -> ThriftMapHeader {
    let keyType = try readType()
    let valueType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "map size")),
      minimumElementSize: Self.minimumSize(of: keyType) + Self.minimumSize(of: valueType),
      available: input.remaining, limits: limits, what: "map")
    return ThriftMapHeader(keyType: keyType, valueType: valueType, count: count)
  }

  @inlinable
  public mutating func readBool() throws(ThriftProtocolError) -> Bool {
    try readInteger(UInt8.self, "bool") != 0
  }

  @inlinable
  public mutating func readByte() throws(ThriftProtocolError) -> Int8 { try readInteger(Int8.self, "byte") }

  @inlinable
  public mutating func readI16() throws(ThriftProtocolError) -> Int16 { try readInteger(Int16.self, "i16") }

  @inlinable
  public mutating func readI32() throws(ThriftProtocolError) -> Int32 { try readInteger(Int32.self, "i32") }

  @inlinable
  public mutating func readI64() throws(ThriftProtocolError) -> Int64 { try readInteger(Int64.self, "i64") }

  @inlinable
  public mutating func readDouble() throws(ThriftProtocolError) -> Double {
    Double(bitPattern: try readInteger(UInt64.self, "double"))
  }

  @inlinable
  mutating func readLength() throws(ThriftProtocolError) -> Int {
    try checkedLength(Int64(readInteger(Int32.self, "string length")), limits: limits)
  }

  @inlinable
  public mutating func readString() throws(ThriftProtocolError) -> String {
    try input.readString(readLength())
  }

  @inlinable
  public mutating func readBinary() throws(ThriftProtocolError) -> Data {
    try input.readData(readLength())
  }

  @inlinable
  public mutating func readBinaryBuffer() throws(ThriftProtocolError) -> ByteBuffer {
    try input.readSlice(readLength())
  }

  @inlinable
  public mutating func readUUID() throws(ThriftProtocolError) -> UUID {
    try input.readUUID()
  }
}
