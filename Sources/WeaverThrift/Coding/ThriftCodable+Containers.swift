/// Thrift `list<T>`.
extension Array: ThriftEncodable, ThriftCodable where Element: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .list }

  @inlinable
  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    let header = try reader.readListBegin()
    guard header.count == 0 || header.elementType == Element.thriftType else {
      throw .unexpectedElementType(header.elementType, expected: Element.thriftType)
    }
    self.init()
    reserveCapacity(header.count)
    for _ in 0..<header.count { append(try Element(from: &reader)) }
  }

  @inlinable
  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    writer.writeListBegin(Element.thriftType, count: count)
    // Index, don't iterate: iteration copies (and retains) each element.
    for index in indices { self[index].write(to: &writer) }
  }
}

/// Thrift `set<T>`. A repeated element on the wire is kept once.
extension Set: ThriftEncodable, ThriftCodable where Element: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .set }

  @inlinable
  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    let header = try reader.readSetBegin()
    guard header.count == 0 || header.elementType == Element.thriftType else {
      throw .unexpectedElementType(header.elementType, expected: Element.thriftType)
    }
    self.init(minimumCapacity: header.count)
    for _ in 0..<header.count { insert(try Element(from: &reader)) }
  }

  @inlinable
  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    writer.writeSetBegin(Element.thriftType, count: count)
    for element in self { element.write(to: &writer) }
  }
}

/// Thrift `map<K, V>`. A repeated key on the wire keeps its last value.
extension Dictionary: ThriftEncodable, ThriftCodable where Key: ThriftCodable, Value: ThriftCodable {
  @inlinable public static var thriftType: ThriftType { .map }

  @inlinable
  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    let header = try reader.readMapBegin()
    guard header.count == 0 || (header.keyType == Key.thriftType && header.valueType == Value.thriftType) else {
      throw header.keyType == Key.thriftType
        ? .unexpectedElementType(header.valueType, expected: Value.thriftType)
        : .unexpectedElementType(header.keyType, expected: Key.thriftType)
    }
    self.init(minimumCapacity: header.count)
    for _ in 0..<header.count {
      let key = try Key(from: &reader)
      self[key] = try Value(from: &reader)
    }
  }

  @inlinable
  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    writer.writeMapBegin(keyType: Key.thriftType, valueType: Value.thriftType, count: count)
    for (key, value) in self {
      key.write(to: &writer)
      value.write(to: &writer)
    }
  }
}
