import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Bool: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .bool }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readBool()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeBool(self) }
}

/// Thrift `byte`/`i8`.
extension Int8: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .byte }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readByte()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeByte(self) }
}

extension Int16: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .i16 }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readI16()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeI16(self) }
}

extension Int32: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .i32 }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readI32()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeI32(self) }
}

extension Int64: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .i64 }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readI64()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeI64(self) }
}

extension Double: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .double }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readDouble()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeDouble(self) }
}

extension String: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .string }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readString()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeString(self) }
}

/// Thrift `binary`.
extension Data: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .string }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readBinary()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeBinary(self) }
}

extension UUID: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .uuid }
  @inlinable public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self = try reader.readUUID()
  }
  @inlinable public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeUUID(self) }
}
