import NIOCore

/// Where a protocol writer puts bytes: a `ByteBuffer`, a byte counter, or (inside
/// ``ThriftProtocolID/encode(_:into:)``) memory reserved for exactly the encoded size.
///
/// Encoding runs the generated `write(to:)` twice, first into a ``ThriftByteCounter`` to
/// learn the size, then into reserved memory without per-write capacity checks; that is
/// several times faster than appending to a `ByteBuffer` value by value.
public protocol ThriftOutput {
  mutating func writeByte(_ byte: UInt8)
  mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T)
  mutating func writeLittleEndian(_ value: UInt64)
  mutating func writeBytes(_ bytes: UnsafeRawBufferPointer)
  /// An unsigned LEB128 varint (the compact protocol's integers and lengths).
  mutating func writeVarint(_ value: UInt64)
  /// The UTF-8 bytes of `string`, of which there are `length`.
  mutating func writeUTF8(_ string: String, length: Int)
}

extension ThriftOutput {
  @inlinable
  public mutating func writeUTF8(_ string: String, length: Int) {
    // `withCString` borrows a native string's UTF-8 storage (NUL-terminated, embedded NULs
    // included) without copying or retaining it; `utf8.withContiguousStorageIfAvailable`
    // and `withUTF8` cost a retain per string.
    string.withCString { pointer in
      writeBytes(UnsafeRawBufferPointer(start: pointer, count: length))
    }
  }

  @inlinable
  public mutating func writeVarint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      writeByte(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    writeByte(UInt8(value))
  }
}

extension ByteBuffer: ThriftOutput {
  @inlinable public mutating func writeByte(_ byte: UInt8) { writeInteger(byte) }
  @inlinable public mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) { writeInteger(value) }
  @inlinable public mutating func writeLittleEndian(_ value: UInt64) { writeInteger(value, endianness: .little) }
  @inlinable public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) { _ = self.writeBytes(bytes as UnsafeRawBufferPointer) as Int }
}

/// Counts the bytes an encoding would take, writing nothing.
public struct ThriftByteCounter: ThriftOutput {
  public var count = 0

  @inlinable public init() {}
  @inlinable public mutating func writeByte(_ byte: UInt8) { count += 1 }
  @inlinable public mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) { count += MemoryLayout<T>.size }
  @inlinable public mutating func writeLittleEndian(_ value: UInt64) { count += 8 }
  @inlinable public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) { count += bytes.count }

  @inlinable public mutating func writeUTF8(_ string: String, length: Int) { count += length }

  @inlinable public mutating func writeVarint(_ value: UInt64) {
    // 7 bits per byte, at least one byte.
    count += (64 - (value | 1).leadingZeroBitCount + 6) / 7
  }
}

/// Writes into memory already reserved for the whole encoding. Every write is still
/// bounds-checked (a mismatch between the counting and the writing pass traps instead of
/// corrupting memory), but there is no capacity growth or uniqueness check per value.
@usableFromInline
struct ThriftReservedOutput: ThriftOutput {
  @usableFromInline var cursor: UnsafeMutableRawPointer
  @usableFromInline let end: UnsafeMutableRawPointer

  @inlinable
  init(_ memory: UnsafeMutableRawBufferPointer) {
    cursor = memory.baseAddress!
    end = cursor + memory.count
  }

  @inlinable
  mutating func claim(_ size: Int) -> UnsafeMutableRawPointer {
    precondition(end - cursor >= size, "encoding wrote more bytes than it counted")
    let start = cursor
    cursor += size
    return start
  }

  @inlinable mutating func writeByte(_ byte: UInt8) { claim(1).storeBytes(of: byte, as: UInt8.self) }

  @inlinable mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
    claim(MemoryLayout<T>.size).storeBytes(of: value.bigEndian, as: T.self)
  }

  @inlinable mutating func writeLittleEndian(_ value: UInt64) {
    claim(8).storeBytes(of: value.littleEndian, as: UInt64.self)
  }

  @inlinable mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    claim(bytes.count).copyMemory(from: source, byteCount: bytes.count)
  }

  @inlinable mutating func writeVarint(_ value: UInt64) {
    if value < 0x80 {
      claim(1).storeBytes(of: UInt8(value), as: UInt8.self)
      return
    }
    // One bounds check for the whole varint.
    let length = (64 - value.leadingZeroBitCount + 6) / 7
    let start = claim(length)
    var value = value
    for offset in 0..<(length - 1) {
      start.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, toByteOffset: offset, as: UInt8.self)
      value >>= 7
    }
    start.storeBytes(of: UInt8(value), toByteOffset: length - 1, as: UInt8.self)
  }
}
