/// The kind of a Thrift message.
public enum ThriftMessageType: UInt8, Sendable, Hashable {
  case call = 1
  case reply = 2
  case exception = 3
  case oneway = 4
}

/// What precedes every Thrift message: method name, kind and sequence id.
public struct ThriftMessageHeader: Hashable, Sendable {
  public var name: String
  public var type: ThriftMessageType
  public var sequenceID: Int32

  public init(name: String, type: ThriftMessageType, sequenceID: Int32) {
    self.name = name
    self.type = type
    self.sequenceID = sequenceID
  }
}

extension ThriftMessageHeader: ThriftEncodable {
  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    writer.writeMessageBegin(self)
  }
}

/// The header of a field as read from the wire; `type == .stop` ends a struct.
public struct ThriftFieldHeader: Hashable, Sendable {
  public var type: ThriftType
  public var id: Int16

  @inlinable
  public init(type: ThriftType, id: Int16) {
    self.type = type
    self.id = id
  }
}

/// The header of a list or set: element type and count (already checked against limits and
/// against the bytes left, so reserving `count` is safe).
public struct ThriftCollectionHeader: Hashable, Sendable {
  public var elementType: ThriftType
  public var count: Int

  @inlinable
  public init(elementType: ThriftType, count: Int) {
    self.elementType = elementType
    self.count = count
  }
}

/// The header of a map, checked like ``ThriftCollectionHeader``.
public struct ThriftMapHeader: Hashable, Sendable {
  public var keyType: ThriftType
  public var valueType: ThriftType
  public var count: Int

  @inlinable
  public init(keyType: ThriftType, valueType: ThriftType, count: Int) {
    self.keyType = keyType
    self.valueType = valueType
    self.count = count
  }
}

/// State a protocol saves when a struct begins and restores when it ends (the compact
/// protocol's last field id). Opaque to callers: pass what `…StructBegin` returned to
/// `…StructEnd`.
public struct ThriftStructScope: Sendable {
  @usableFromInline var lastFieldID: Int16

  @inlinable
  init(lastFieldID: Int16) {
    self.lastFieldID = lastFieldID
  }
}
