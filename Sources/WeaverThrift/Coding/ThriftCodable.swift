/// A Swift type with a Thrift encoding: the scalars, `String`, `Data`, `UUID`, arrays, sets,
/// dictionaries of such values, and every generated struct, union, exception and enum.
///
/// Generated code reads and writes fields through this protocol, so nested containers such as
/// `[[Int32: Set<String>]]` need no generated code of their own.
public protocol ThriftCodable: ThriftEncodable, Sendable {
  /// The wire type of this value.
  static var thriftType: ThriftType { get }
  init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError)
}

/// Something that writes itself with a protocol writer: every ``ThriftCodable``, and message
/// headers.
public protocol ThriftEncodable {
  func write<Writer: ThriftProtocolWriter>(to writer: inout Writer)
}
