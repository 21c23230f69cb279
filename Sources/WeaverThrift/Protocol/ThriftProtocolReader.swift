import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads Thrift values from a `ByteBuffer`. ``ThriftBinaryReader`` and
/// ``ThriftCompactReader`` conform; generated code is generic over this protocol and gets
/// specialized for each.
///
/// Readers are defensive: every length and count is checked against ``limits`` and against
/// the bytes left before anything is allocated, and every failure is a
/// ``ThriftProtocolError``.
public protocol ThriftProtocolReader {
  /// How many bytes are left to read.
  var bytesRemaining: Int { get }
  var limits: ThriftLimits { get }

  mutating func readMessageBegin() throws(ThriftProtocolError) -> ThriftMessageHeader
  /// Enters a struct (checking the nesting depth); pass the result to ``readStructEnd(_:)``.
  mutating func readStructBegin() throws(ThriftProtocolError) -> ThriftStructScope
  mutating func readStructEnd(_ scope: ThriftStructScope)
  /// The next field's header; `.stop` when the struct ends.
  mutating func readFieldBegin() throws(ThriftProtocolError) -> ThriftFieldHeader
  mutating func readListBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader
  mutating func readSetBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader
  mutating func readMapBegin() throws(ThriftProtocolError) -> ThriftMapHeader
  mutating func readBool() throws(ThriftProtocolError) -> Bool
  mutating func readByte() throws(ThriftProtocolError) -> Int8
  mutating func readI16() throws(ThriftProtocolError) -> Int16
  mutating func readI32() throws(ThriftProtocolError) -> Int32
  mutating func readI64() throws(ThriftProtocolError) -> Int64
  mutating func readDouble() throws(ThriftProtocolError) -> Double
  /// A `string`: UTF-8, validated.
  mutating func readString() throws(ThriftProtocolError) -> String
  /// A `binary` value, copied out.
  mutating func readBinary() throws(ThriftProtocolError) -> Data
  /// A `binary` value as a slice of the input, without copying.
  mutating func readBinaryBuffer() throws(ThriftProtocolError) -> ByteBuffer
  mutating func readUUID() throws(ThriftProtocolError) -> UUID
  /// Reads and discards one value of `type`, however deeply nested.
  mutating func skip(_ type: ThriftType) throws(ThriftProtocolError)
}

extension ThriftProtocolReader {
  /// Skips one value by reading it. Structs and containers nested inside it count toward
  /// ``ThriftLimits/maxDepth``, so a hostile `list<list<…>>` cannot exhaust the stack.
  @inlinable
  public mutating func skip(_ type: ThriftType) throws(ThriftProtocolError) {
    try skip(type, nesting: 0)
  }

  @inlinable
  mutating func skip(_ type: ThriftType, nesting: Int) throws(ThriftProtocolError) {
    switch type {
    case .bool: _ = try readBool()
    case .byte: _ = try readByte()
    case .i16: _ = try readI16()
    case .i32: _ = try readI32()
    case .i64: _ = try readI64()
    case .double: _ = try readDouble()
    case .string: _ = try readBinaryBuffer()
    case .uuid: _ = try readUUID()
    case .struct:
      let scope = try readStructBegin()
      while true {
        let field = try readFieldBegin()
        if field.type == .stop { break }
        try skip(field.type, nesting: nesting + 1)
      }
      readStructEnd(scope)
    case .list, .set, .map:
      guard nesting < limits.maxDepth else { throw .depthLimit(limits.maxDepth) }
      if type == .map {
        let header = try readMapBegin()
        for _ in 0..<header.count {
          try skip(header.keyType, nesting: nesting + 1)
          try skip(header.valueType, nesting: nesting + 1)
        }
      } else {
        let header = type == .list ? try readListBegin() : try readSetBegin()
        for _ in 0..<header.count { try skip(header.elementType, nesting: nesting + 1) }
      }
    default:
      throw ThriftProtocolError(.invalidData, "cannot skip a value of type \(type)")
    }
  }
}
