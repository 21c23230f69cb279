import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes the Thrift binary protocol, with strict (versioned) message headers.
public struct ThriftBinaryWriter<Output: ThriftOutput>: ThriftProtocolWriter {
  public var output: Output

  @inlinable
  public init(output: Output) {
    self.output = output
  }

  public mutating func writeMessageBegin(_ header: ThriftMessageHeader) {
    output.writeBigEndian(UInt32(0x8001_0000) | UInt32(header.type.rawValue))
    writeString(header.name)
    output.writeBigEndian(header.sequenceID)
  }

  @inlinable
  public mutating func writeStructBegin() -> ThriftStructScope { ThriftStructScope(lastFieldID: 0) }

  @inlinable
  public mutating func writeStructEnd(_ scope: ThriftStructScope) {}

  @inlinable
  public mutating func writeFieldBegin(_ type: ThriftType, id: Int16) {
    output.writeByte(type.rawValue)
    output.writeBigEndian(id)
  }

  @inlinable
  public mutating func writeFieldStop() { output.writeByte(0) }

  @inlinable
  public mutating func writeListBegin(_ elementType: ThriftType, count: Int) {
    output.writeByte(elementType.rawValue)
    output.writeBigEndian(Int32(truncatingIfNeeded: count))
  }

  @inlinable
  public mutating func writeSetBegin(_ elementType: ThriftType, count: Int) {
    writeListBegin(elementType, count: count)
  }

  @inlinable
  public mutating func writeMapBegin(keyType: ThriftType, valueType: ThriftType, count: Int) {
    output.writeBigEndian(UInt16(keyType.rawValue) << 8 | UInt16(valueType.rawValue))
    output.writeBigEndian(Int32(truncatingIfNeeded: count))
  }

  @inlinable
  public mutating func writeBool(_ value: Bool) { output.writeByte(value ? 1 : 0) }

  @inlinable
  public mutating func writeByte(_ value: Int8) { output.writeByte(UInt8(bitPattern: value)) }

  @inlinable
  public mutating func writeI16(_ value: Int16) { output.writeBigEndian(value) }

  @inlinable
  public mutating func writeI32(_ value: Int32) { output.writeBigEndian(value) }

  @inlinable
  public mutating func writeI64(_ value: Int64) { output.writeBigEndian(value) }

  @inlinable
  public mutating func writeDouble(_ value: Double) { output.writeBigEndian(value.bitPattern) }

  @inlinable
  public mutating func writeString(_ value: String) {
    let length = value.utf8.count
    output.writeBigEndian(Int32(truncatingIfNeeded: length))
    output.writeUTF8(value, length: length)
  }

  @inlinable
  public mutating func writeBinary(_ value: Data) {
    output.writeBigEndian(Int32(truncatingIfNeeded: value.count))
    value.withUnsafeBytes { output.writeBytes($0) }
  }

  @inlinable
  public mutating func writeBinary(_ value: ByteBuffer) {
    output.writeBigEndian(Int32(truncatingIfNeeded: value.readableBytes))
    value.withUnsafeReadableBytes { output.writeBytes($0) }
  }

  @inlinable
  public mutating func writeUUID(_ value: UUID) { withUnsafeBytes(of: value.uuid) { output.writeBytes($0) } }
}

extension ThriftBinaryWriter where Output == ByteBuffer {
  /// A writer that appends to `buffer`.
  @inlinable
  public init(buffer: ByteBuffer) {
    self.init(output: buffer)
  }

  /// Everything written so far.
  @inlinable
  public var buffer: ByteBuffer { output }
}
