import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes the Thrift compact protocol, byte for byte as Apache Thrift's implementations do.
public struct ThriftCompactWriter<Output: ThriftOutput>: ThriftProtocolWriter {
  public var output: Output
  @usableFromInline var lastFieldID: Int16 = 0
  /// The id of a bool field whose header waits for its value (the value goes in the header).
  @usableFromInline var pendingBoolFieldID: Int16 = 0
  @usableFromInline var hasPendingBool = false

  @inlinable
  public init(output: Output) {
    self.output = output
  }

  @inlinable
  mutating func writeVarint(_ value: UInt64) { output.writeVarint(value) }

  @inlinable
  mutating func writeVarint(_ value: UInt32) { output.writeVarint(UInt64(value)) }

  public mutating func writeMessageBegin(_ header: ThriftMessageHeader) {
    output.writeByte(0x82)
    output.writeByte(1 | (header.type.rawValue << 5))
    writeVarint(UInt32(bitPattern: header.sequenceID))
    writeString(header.name)
  }

  @inlinable
  public mutating func writeStructBegin() -> ThriftStructScope {
    let scope = ThriftStructScope(lastFieldID: lastFieldID)
    lastFieldID = 0
    return scope
  }

  @inlinable
  public mutating func writeStructEnd(_ scope: ThriftStructScope) {
    lastFieldID = scope.lastFieldID
  }

  @inlinable
  mutating func writeFieldHeader(_ compactType: UInt8, id: Int16) {
    let delta = Int(id) - Int(lastFieldID)
    if delta > 0 && delta <= 15 {
      output.writeByte(UInt8(delta) << 4 | compactType)
    } else {
      output.writeByte(compactType)
      writeI16(id)
    }
    lastFieldID = id
  }

  @inlinable
  public mutating func writeFieldBegin(_ type: ThriftType, id: Int16) {
    if type == .bool {
      pendingBoolFieldID = id
      hasPendingBool = true
    } else {
      writeFieldHeader(ThriftCompactType.id(for: type), id: id)
    }
  }

  @inlinable
  public mutating func writeFieldStop() { output.writeByte(0) }

  @inlinable
  mutating func writeCollectionBegin(_ elementType: ThriftType, count: Int) {
    let typeID = ThriftCompactType.id(for: elementType)
    if count < 15 {
      output.writeByte(UInt8(count) << 4 | typeID)
    } else {
      output.writeByte(0xF0 | typeID)
      writeVarint(UInt32(truncatingIfNeeded: count))
    }
  }

  @inlinable
  public mutating func writeListBegin(_ elementType: ThriftType, count: Int) {
    writeCollectionBegin(elementType, count: count)
  }

  @inlinable
  public mutating func writeSetBegin(_ elementType: ThriftType, count: Int) {
    writeCollectionBegin(elementType, count: count)
  }

  @inlinable
  public mutating func writeMapBegin(keyType: ThriftType, valueType: ThriftType, count: Int) {
    if count == 0 {
      output.writeByte(0)
    } else {
      writeVarint(UInt32(truncatingIfNeeded: count))
      output.writeByte(ThriftCompactType.id(for: keyType) << 4 | ThriftCompactType.id(for: valueType))
    }
  }

  @inlinable
  public mutating func writeBool(_ value: Bool) {
    let typeID = value ? ThriftCompactType.booleanTrue : ThriftCompactType.booleanFalse
    if hasPendingBool {
      hasPendingBool = false
      writeFieldHeader(typeID, id: pendingBoolFieldID)
    } else {
      output.writeByte(typeID)
    }
  }

  @inlinable
  public mutating func writeByte(_ value: Int8) { output.writeByte(UInt8(bitPattern: value)) }

  @inlinable
  public mutating func writeI16(_ value: Int16) { writeVarint(ThriftCompactType.zigzag(Int32(value))) }

  @inlinable
  public mutating func writeI32(_ value: Int32) { writeVarint(ThriftCompactType.zigzag(value)) }

  @inlinable
  public mutating func writeI64(_ value: Int64) { writeVarint(ThriftCompactType.zigzag(value)) }

  @inlinable
  public mutating func writeDouble(_ value: Double) {
    output.writeLittleEndian(value.bitPattern)
  }

  @inlinable
  public mutating func writeString(_ value: String) {
    let length = value.utf8.count
    writeVarint(UInt32(truncatingIfNeeded: length))
    output.writeUTF8(value, length: length)
  }

  @inlinable
  public mutating func writeBinary(_ value: Data) {
    writeVarint(UInt32(truncatingIfNeeded: value.count))
    value.withUnsafeBytes { output.writeBytes($0) }
  }

  @inlinable
  public mutating func writeBinary(_ value: ByteBuffer) {
    writeVarint(UInt32(truncatingIfNeeded: value.readableBytes))
    value.withUnsafeReadableBytes { output.writeBytes($0) }
  }

  @inlinable
  public mutating func writeUUID(_ value: UUID) { withUnsafeBytes(of: value.uuid) { output.writeBytes($0) } }
}

extension ThriftCompactWriter where Output == ByteBuffer {
  /// A writer that appends to `buffer`.
  @inlinable
  public init(buffer: ByteBuffer) {
    self.init(output: buffer)
  }

  /// Everything written so far.
  @inlinable
  public var buffer: ByteBuffer { output }
}
