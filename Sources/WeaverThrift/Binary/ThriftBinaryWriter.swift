import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes the Thrift binary protocol, with strict (versioned) message headers.
public struct ThriftBinaryWriter: ThriftProtocolWriter {
  public var buffer: ByteBuffer

  @inlinable
  public init(buffer: ByteBuffer) {
    self.buffer = buffer
  }

  public mutating func writeMessageBegin(_ header: ThriftMessageHeader) {
    buffer.writeInteger(UInt32(0x8001_0000) | UInt32(header.type.rawValue))
    writeString(header.name)
    buffer.writeInteger(header.sequenceID)
  }

  @inlinable
  public mutating func writeStructBegin() -> ThriftStructScope { ThriftStructScope(lastFieldID: 0) }

  @inlinable
  public mutating func writeStructEnd(_ scope: ThriftStructScope) {}

  @inlinable
  public mutating func writeFieldBegin(_ type: ThriftType, id: Int16) {
    buffer.writeInteger(type.rawValue)
    buffer.writeInteger(id)
  }

  @inlinable
  public mutating func writeFieldStop() { buffer.writeInteger(UInt8(0)) }

  @inlinable
  public mutating func writeListBegin(_ elementType: ThriftType, count: Int) {
    buffer.writeInteger(elementType.rawValue)
    buffer.writeInteger(Int32(truncatingIfNeeded: count))
  }

  @inlinable
  public mutating func writeSetBegin(_ elementType: ThriftType, count: Int) {
    writeListBegin(elementType, count: count)
  }

  @inlinable
  public mutating func writeMapBegin(keyType: ThriftType, valueType: ThriftType, count: Int) {
    buffer.writeInteger(UInt16(keyType.rawValue) << 8 | UInt16(valueType.rawValue))
    buffer.writeInteger(Int32(truncatingIfNeeded: count))
  }

  @inlinable
  public mutating func writeBool(_ value: Bool) { buffer.writeInteger(UInt8(value ? 1 : 0)) }

  @inlinable
  public mutating func writeByte(_ value: Int8) { buffer.writeInteger(value) }

  @inlinable
  public mutating func writeI16(_ value: Int16) { buffer.writeInteger(value) }

  @inlinable
  public mutating func writeI32(_ value: Int32) { buffer.writeInteger(value) }

  @inlinable
  public mutating func writeI64(_ value: Int64) { buffer.writeInteger(value) }

  @inlinable
  public mutating func writeDouble(_ value: Double) { buffer.writeInteger(value.bitPattern) }

  @inlinable
  public mutating func writeString(_ value: String) {
    var value = value
    value.withUTF8 { utf8 in
      buffer.writeInteger(Int32(truncatingIfNeeded: utf8.count))
      buffer.writeBytes(UnsafeRawBufferPointer(utf8))
    }
  }

  @inlinable
  public mutating func writeBinary(_ value: Data) {
    buffer.writeInteger(Int32(truncatingIfNeeded: value.count))
    buffer.writeThriftData(value)
  }

  @inlinable
  public mutating func writeBinary(_ value: ByteBuffer) {
    buffer.writeInteger(Int32(truncatingIfNeeded: value.readableBytes))
    var value = value
    buffer.writeBuffer(&value)
  }

  @inlinable
  public mutating func writeUUID(_ value: UUID) { buffer.writeThriftUUID(value) }
}
