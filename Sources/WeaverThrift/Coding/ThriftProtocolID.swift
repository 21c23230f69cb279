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
  public func decode<Value: ThriftCodable>(
    _: Value.Type = Value.self, from buffer: inout ByteBuffer, limits: ThriftLimits = .default
  ) throws(ThriftProtocolError) -> Value {
    switch self {
    case .binary:
      return try ThriftBinaryReader.read(&buffer, limits: limits) { reader throws(ThriftProtocolError) in
        try Value(from: &reader)
      }
    case .compact:
      return try ThriftCompactReader.read(&buffer, limits: limits) { reader throws(ThriftProtocolError) in
        try Value(from: &reader)
      }
    }
  }

  /// Appends the encoding of `value` to `buffer`.
  ///
  /// Counts the encoded size first, reserves it once, then writes without per-value
  /// capacity checks (see ``ThriftOutput``).
  @inlinable
  public func encode<Value: ThriftEncodable>(_ value: Value, into buffer: inout ByteBuffer) {
    switch self {
    case .binary:
      var counter = ThriftBinaryWriter(output: ThriftByteCounter())
      value.write(to: &counter)
      let size = counter.output.count
      buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { memory in
        var writer = ThriftBinaryWriter(output: ThriftReservedOutput(memory))
        value.write(to: &writer)
        return size
      }
    case .compact:
      var counter = ThriftCompactWriter(output: ThriftByteCounter())
      value.write(to: &counter)
      let size = counter.output.count
      buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { memory in
        var writer = ThriftCompactWriter(output: ThriftReservedOutput(memory))
        value.write(to: &writer)
        return size
      }
    }
  }

  /// Reads a message header from the front of `buffer`, advancing it.
  public func readMessageBegin(from buffer: inout ByteBuffer, limits: ThriftLimits = .default) throws(ThriftProtocolError) -> ThriftMessageHeader {
    switch self {
    case .binary:
      return try ThriftBinaryReader.read(&buffer, limits: limits) { reader throws(ThriftProtocolError) in
        try reader.readMessageBegin()
      }
    case .compact:
      return try ThriftCompactReader.read(&buffer, limits: limits) { reader throws(ThriftProtocolError) in
        try reader.readMessageBegin()
      }
    }
  }

  /// Appends a message header to `buffer`.
  public func writeMessageBegin(_ header: ThriftMessageHeader, into buffer: inout ByteBuffer) {
    encode(header, into: &buffer)
  }
}
