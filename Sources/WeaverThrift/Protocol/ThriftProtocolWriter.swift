import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes Thrift values to a ``ThriftOutput``. ``ThriftBinaryWriter`` and
/// ``ThriftCompactWriter`` conform. Writing cannot fail: every Swift value of a generated
/// type has an encoding.
public protocol ThriftProtocolWriter {
  mutating func writeMessageBegin(_ header: ThriftMessageHeader)
  /// Enters a struct; pass the result to ``writeStructEnd(_:)``.
  mutating func writeStructBegin() -> ThriftStructScope
  mutating func writeStructEnd(_ scope: ThriftStructScope)
  /// Starts a field; its value follows. (The compact protocol folds a bool into this header.)
  mutating func writeFieldBegin(_ type: ThriftType, id: Int16)
  /// Ends the fields of a struct.
  mutating func writeFieldStop()
  mutating func writeListBegin(_ elementType: ThriftType, count: Int)
  mutating func writeSetBegin(_ elementType: ThriftType, count: Int)
  mutating func writeMapBegin(keyType: ThriftType, valueType: ThriftType, count: Int)
  mutating func writeBool(_ value: Bool)
  mutating func writeByte(_ value: Int8)
  mutating func writeI16(_ value: Int16)
  mutating func writeI32(_ value: Int32)
  mutating func writeI64(_ value: Int64)
  mutating func writeDouble(_ value: Double)
  mutating func writeString(_ value: String)
  mutating func writeBinary(_ value: Data)
  mutating func writeBinary(_ value: ByteBuffer)
  mutating func writeUUID(_ value: UUID)
}

extension ThriftProtocolWriter {
  /// Writes a field: its header, then its value. Generated code calls this; taking the
  /// value as a (borrowed) argument spares a retain per field.
  @inlinable
  public mutating func writeField<Value: ThriftCodable>(id: Int16, _ value: Value) {
    writeFieldBegin(Value.thriftType, id: id)
    value.write(to: &self)
  }

  /// Writes an optional field if it is set.
  @inlinable
  public mutating func writeField<Value: ThriftCodable>(id: Int16, _ value: Value?) {
    // Optional chaining writes the wrapped value in place; binding it would copy it.
    guard value != nil else { return }
    writeFieldBegin(Value.thriftType, id: id)
    value?.write(to: &self)
  }
}
