/// A generated enum: an `i32` on the wire. Numbers the IDL does not define are kept (in
/// the enum's `unrecognized` case), never lost or turned into errors.
public protocol ThriftEnum: ThriftCodable, Hashable {
  init(rawValue: Int32)
  var rawValue: Int32 { get }
}

extension ThriftEnum {
  @inlinable public static var thriftType: ThriftType { .i32 }

  @inlinable
  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    self.init(rawValue: try reader.readI32())
  }

  @inlinable
  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) { writer.writeI32(rawValue) }
}
