import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Byte-level pieces both protocols share: UTF-8 strings, binary, UUIDs, size checks.
extension ByteBuffer {
  /// Reads `length` bytes as UTF-8, rejecting invalid sequences instead of repairing them.
  @inlinable
  mutating func readThriftString(length: Int) throws(ThriftProtocolError) -> String {
    if length == 0 { return "" }
    guard readableBytes >= length else {
      throw .endOfInput("string", needed: length, available: readableBytes)
    }
    let string = withUnsafeReadableBytes { raw in
      String(validating: UnsafeRawBufferPointer(rebasing: raw[..<length]), as: UTF8.self)
    }
    guard let string else { throw .invalidUTF8(length: length) }
    moveReaderIndex(forwardBy: length)
    return string
  }

  @inlinable
  mutating func readThriftData(length: Int) throws(ThriftProtocolError) -> Data {
    guard readableBytes >= length else {
      throw .endOfInput("binary", needed: length, available: readableBytes)
    }
    let data = withUnsafeReadableBytes { raw in Data(UnsafeRawBufferPointer(rebasing: raw[..<length])) }
    moveReaderIndex(forwardBy: length)
    return data
  }

  @inlinable
  mutating func readThriftSlice(length: Int) throws(ThriftProtocolError) -> ByteBuffer {
    guard let slice = readSlice(length: length) else {
      throw .endOfInput("binary", needed: length, available: readableBytes)
    }
    return slice
  }

  /// 16 bytes in RFC 4122 (network) order.
  @inlinable
  mutating func readThriftUUID() throws(ThriftProtocolError) -> UUID {
    guard readableBytes >= 16 else { throw .endOfInput("uuid", needed: 16, available: readableBytes) }
    var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &bytes) { target in
      _ = readWithUnsafeReadableBytes { source in
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[..<16]))
        return 16
      }
    }
    return UUID(uuid: bytes)
  }

  @inlinable
  mutating func writeThriftUUID(_ value: UUID) {
    withUnsafeBytes(of: value.uuid) { _ = writeBytes($0) }
  }

  @inlinable
  mutating func writeThriftData(_ value: Data) {
    value.withUnsafeBytes { _ = writeBytes($0) }
  }
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
