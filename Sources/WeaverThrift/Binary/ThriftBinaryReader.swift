import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the Thrift binary protocol: big-endian fixed-width integers, `i32` lengths.
///
/// Accepts both strict message headers (`0x8001` version word) and the old non-strict form
/// unless ``strictRead`` is set.
public struct ThriftBinaryReader: ThriftProtocolReader {
  public var buffer: ByteBuffer
  public let limits: ThriftLimits
  /// Reject non-strict (versionless) message headers.
  public var strictRead: Bool
  @usableFromInline var depth = 0

  @inlinable
  public init(buffer: ByteBuffer, limits: ThriftLimits = .default, strictRead: Bool = false) {
    self.buffer = buffer
    self.limits = limits
    self.strictRead = strictRead
  }

  @inlinable
  mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: StaticString) throws(ThriftProtocolError) -> T {
    guard let value = buffer.readInteger(as: T.self) else {
      throw .endOfInput(what, needed: MemoryLayout<T>.size, available: buffer.readableBytes)
    }
    return value
  }

  @inlinable
  mutating func readType() throws(ThriftProtocolError) -> ThriftType {
    let raw = try readInteger(UInt8.self, "type id")
    guard let type = ThriftType(rawValue: raw), type.isValueType else { throw .unknownType(raw) }
    return type
  }

  /// The fewest bytes a value of `type` takes in this protocol.
  @inlinable
  static func minimumSize(of type: ThriftType) -> Int {
    switch type {
    case .bool, .byte, .struct, .stop, .void: return 1
    case .i16: return 2
    case .i32: return 4
    case .i64, .double: return 8
    case .string: return 4
    case .list, .set: return 5
    case .map: return 6
    case .uuid: return 16
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
      name = try buffer.readThriftString(length: checkedLength(Int64(first), limits: limits))
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
    guard let type = ThriftType(rawValue: raw), type.isValueType else { throw .unknownType(raw) }
    return ThriftFieldHeader(type: type, id: try readInteger(Int16.self, "field id"))
  }

  @inlinable
  public mutating func readListBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    let elementType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "list size")), minimumElementSize: Self.minimumSize(of: elementType),
      available: buffer.readableBytes, limits: limits, what: "list")
    return ThriftCollectionHeader(elementType: elementType, count: count)
  }

  @inlinable
  public mutating func readSetBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    let elementType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "set size")), minimumElementSize: Self.minimumSize(of: elementType),
      available: buffer.readableBytes, limits: limits, what: "set")
    return ThriftCollectionHeader(elementType: elementType, count: count)
  }

  @inlinable
  public mutating func readMapBegin() throws(ThriftProtocolError) -> ThriftMapHeader {
    let keyType = try readType()
    let valueType = try readType()
    let count = try checkedCount(
      Int64(readInteger(Int32.self, "map size")),
      minimumElementSize: Self.minimumSize(of: keyType) + Self.minimumSize(of: valueType),
      available: buffer.readableBytes, limits: limits, what: "map")
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
    try buffer.readThriftString(length: readLength())
  }

  @inlinable
  public mutating func readBinary() throws(ThriftProtocolError) -> Data {
    try buffer.readThriftData(length: readLength())
  }

  @inlinable
  public mutating func readBinaryBuffer() throws(ThriftProtocolError) -> ByteBuffer {
    try buffer.readThriftSlice(length: readLength())
  }

  @inlinable
  public mutating func readUUID() throws(ThriftProtocolError) -> UUID {
    try buffer.readThriftUUID()
  }
}
