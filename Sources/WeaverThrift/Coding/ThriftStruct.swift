import NIOCore

/// A generated struct, union or exception (or the args/result of a service method).
///
/// ```swift
/// let bytes = user.encoded(protocol: .compact)
/// let copy = try User(decoding: bytes, protocol: .compact)
/// ```
public protocol ThriftStruct: ThriftCodable, Hashable {
  /// Appends this value's encoding to `buffer`. Callable on `any ThriftStruct`; the
  /// conformance's copy is specialized for the concrete type.
  func encode(into buffer: inout ByteBuffer, protocol: ThriftProtocolID)
}

extension ThriftStruct {
  @inlinable public static var thriftType: ThriftType { .struct }

  @inlinable
  public func encode(into buffer: inout ByteBuffer, protocol: ThriftProtocolID) {
    `protocol`.encode(self, into: &buffer)
  }

  /// This value encoded in a new buffer.
  @inlinable
  public func encoded(protocol: ThriftProtocolID, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
    var buffer = allocator.buffer(capacity: 256)
    encode(into: &buffer, protocol: `protocol`)
    return buffer
  }

  /// Decodes a value from the start of `buffer`; bytes after the value are ignored.
  @inlinable
  public init(decoding buffer: ByteBuffer, protocol: ThriftProtocolID, limits: ThriftLimits = .default) throws(ThriftProtocolError) {
    var buffer = buffer
    self = try `protocol`.decode(Self.self, from: &buffer, limits: limits)
  }
}
