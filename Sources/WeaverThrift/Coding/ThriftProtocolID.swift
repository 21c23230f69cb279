import NIOCore

/// The payload protocols CloudWeaver speaks. Raw values are the protocol ids THeader and
/// TTHeader carry.
public enum ThriftProtocolID: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case binary = 0
  case compact = 2

  public var description: String {
    switch self {
    case .binary: return "binary"
    case .compact: return "compact"
    }
  }

  /// Decodes one value from the front of `buffer`, advancing it.
  @inlinable
  public func decode<Value: ThriftValue>(
    _: Value.Type = Value.self, from buffer: inout ByteBuffer, limits: ThriftLimits = .default
  ) throws(ThriftProtocolError) -> Value {
    switch self {
    case .binary:
      var reader = ThriftBinaryReader(buffer: buffer, limits: limits)
      let value = try Value(from: &reader)
      buffer = reader.buffer
      return value
    case .compact:
      var reader = ThriftCompactReader(buffer: buffer, limits: limits)
      let value = try Value(from: &reader)
      buffer = reader.buffer
      return value
    }
  }

  /// Appends the encoding of `value` to `buffer`.
  @inlinable
  public func encode<Value: ThriftValue>(_ value: Value, into buffer: inout ByteBuffer) {
    switch self {
    case .binary:
      var writer = ThriftBinaryWriter(buffer: buffer)
      buffer = ByteBuffer.thriftEmpty
      value.write(to: &writer)
      buffer = writer.buffer
    case .compact:
      var writer = ThriftCompactWriter(buffer: buffer)
      buffer = ByteBuffer.thriftEmpty
      value.write(to: &writer)
      buffer = writer.buffer
    }
  }

  /// Reads a message header from the front of `buffer`, advancing it.
  public func readMessageBegin(from buffer: inout ByteBuffer, limits: ThriftLimits = .default) throws(ThriftProtocolError) -> ThriftMessageHeader {
    switch self {
    case .binary:
      var reader = ThriftBinaryReader(buffer: buffer, limits: limits)
      let header = try reader.readMessageBegin()
      buffer = reader.buffer
      return header
    case .compact:
      var reader = ThriftCompactReader(buffer: buffer, limits: limits)
      let header = try reader.readMessageBegin()
      buffer = reader.buffer
      return header
    }
  }

  /// Appends a message header to `buffer`.
  public func writeMessageBegin(_ header: ThriftMessageHeader, into buffer: inout ByteBuffer) {
    switch self {
    case .binary:
      var writer = ThriftBinaryWriter(buffer: buffer)
      buffer = ByteBuffer.thriftEmpty
      writer.writeMessageBegin(header)
      buffer = writer.buffer
    case .compact:
      var writer = ThriftCompactWriter(buffer: buffer)
      buffer = ByteBuffer.thriftEmpty
      writer.writeMessageBegin(header)
      buffer = writer.buffer
    }
  }
}

extension ByteBuffer {
  /// A shared empty buffer to park in a variable while its real buffer is lent to a writer,
  /// so the writer holds the only reference and appends without copying.
  @usableFromInline
  static let thriftEmpty = ByteBufferAllocator().buffer(capacity: 0)
}
