import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bytes a reader reads: a `ByteBuffer`'s readable bytes, read through a raw pointer
/// with explicit bounds checks. Reading through `ByteBuffer`'s own API costs a capacity
/// check and a dynamic exclusivity check per value; this does one check per value and
/// keeps the buffer itself only for zero-copy slices.
///
/// Only valid inside ``withThriftInput(_:_:)``, which keeps the memory alive.
@usableFromInline
struct ThriftInput {
  @usableFromInline let bytes: UnsafeRawBufferPointer
  @usableFromInline var position = 0
  /// The buffer `bytes` belongs to, for ``readSlice(_:)``.
  @usableFromInline let source: ByteBuffer

  @inlinable
  init(bytes: UnsafeRawBufferPointer, source: ByteBuffer) {
    self.bytes = bytes
    self.source = source
  }

  @inlinable
  var remaining: Int { bytes.count &- position }

  @inlinable @inline(__always)
  mutating func readByte(_ what: StaticString) throws(ThriftProtocolError) -> UInt8 {
    guard position < bytes.count else { throw .endOfInput(what, needed: 1, available: 0) }
    let byte = bytes.load(fromByteOffset: position, as: UInt8.self)
    position &+= 1
    return byte
  }

  @inlinable @inline(__always)
  mutating func readBigEndian<T: FixedWidthInteger>(_: T.Type, _ what: StaticString) throws(ThriftProtocolError) -> T {
    let size = MemoryLayout<T>.size
    guard remaining >= size else { throw .endOfInput(what, needed: size, available: remaining) }
    let value = bytes.loadUnaligned(fromByteOffset: position, as: T.self)
    position &+= size
    return T(bigEndian: value)
  }

  @inlinable @inline(__always)
  mutating func readLittleEndian(_ what: StaticString) throws(ThriftProtocolError) -> UInt64 {
    guard remaining >= 8 else { throw .endOfInput(what, needed: 8, available: remaining) }
    let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
    position &+= 8
    return UInt64(littleEndian: value)
  }

  /// The next `length` bytes, consumed.
  @inlinable
  mutating func readBytes(_ length: Int, _ what: StaticString) throws(ThriftProtocolError) -> UnsafeRawBufferPointer {
    guard remaining >= length else { throw .endOfInput(what, needed: length, available: remaining) }
    let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position &+ length)])
    position &+= length
    return slice
  }

  /// `length` bytes as UTF-8, rejecting invalid sequences instead of repairing them.
  @inlinable
  mutating func readString(_ length: Int) throws(ThriftProtocolError) -> String {
    if length == 0 { return "" }
    let utf8 = try readBytes(length, "string")
    guard UTF8Validation.isValid(utf8) else { throw .invalidUTF8(length: length) }
    return String(decoding: utf8, as: UTF8.self)
  }

  @inlinable
  mutating func readData(_ length: Int) throws(ThriftProtocolError) -> Data {
    Data(try readBytes(length, "binary"))
  }

  /// `length` bytes as a slice of the source buffer, without copying.
  @inlinable
  mutating func readSlice(_ length: Int) throws(ThriftProtocolError) -> ByteBuffer {
    let start = position
    _ = try readBytes(length, "binary")
    return source.getSlice(at: source.readerIndex + start, length: length)!
  }

  /// 16 bytes in RFC 4122 (network) order.
  @inlinable
  mutating func readUUID() throws(ThriftProtocolError) -> UUID {
    let raw = try readBytes(16, "uuid")
    return UUID(uuid: raw.loadUnaligned(as: uuid_t.self))
  }
}

/// Runs `body` on the readable bytes of `buffer`, then advances `buffer` past what `body`
/// consumed (nothing, if it throws).
@inlinable
func withThriftInput<Result>(
  _ buffer: inout ByteBuffer, _ body: (inout ThriftInput) throws(ThriftProtocolError) -> Result
) throws(ThriftProtocolError) -> Result {
  let source = buffer
  var result: Result?
  var failure: ThriftProtocolError?
  var consumed = 0
  buffer.withUnsafeReadableBytes { bytes in
    var input = ThriftInput(bytes: bytes, source: source)
    do throws(ThriftProtocolError) {
      result = try body(&input)
      consumed = input.position
    } catch {
      failure = error
    }
  }
  if let failure { throw failure }
  buffer.moveReaderIndex(forwardBy: consumed)
  return result.unsafelyUnwrapped
}

/// Checks a declared element count against the limits and against the bytes left, so that
/// reserving capacity for it can never over-allocate.
@inlinable
func checkedCount(
  _ count: Int64, minimumElementSize: Int, available: Int, limits: ThriftLimits, what: StaticString
) throws(ThriftProtocolError) -> Int {
  guard count >= 0 else { throw .negativeSize(what, count) }
  guard count <= Int64(limits.maxContainerCount) else {
    throw .sizeLimit(what, Int(count), limit: limits.maxContainerCount)
  }
  let size = Int(count)
  guard size * minimumElementSize <= available else {
    throw .tooManyElements(what, count: size, available: available)
  }
  return size
}

/// Checks a declared string or binary length against the limits (the bytes left are checked
/// when the bytes are read).
@inlinable
func checkedLength(_ length: Int64, limits: ThriftLimits) throws(ThriftProtocolError) -> Int {
  guard length >= 0 else { throw .negativeSize("string", length) }
  guard length <= Int64(limits.maxStringLength) else {
    throw .sizeLimit("string", Int(clamping: length), limit: limits.maxStringLength)
  }
  return Int(length)
}
