/// Reads big-endian integers and byte runs from raw memory a caller borrowed once
/// (`ByteBuffer.withUnsafeReadableBytes`): one bounds check per value, no buffer
/// bookkeeping per read.
struct RawBytesReader {
  private let bytes: UnsafeRawBufferPointer
  private var offset = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  var remaining: Int { bytes.count - offset }

  mutating func read<Integer: FixedWidthInteger>(_: Integer.Type) -> Integer? {
    let size = MemoryLayout<Integer>.size
    guard remaining >= size else { return nil }
    defer { offset += size }
    return Integer(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
  }

  /// The next `count` bytes, borrowed (valid as long as the memory read is).
  mutating func read(count: Int) -> UnsafeRawBufferPointer? {
    guard count >= 0, remaining >= count else { return nil }
    defer { offset += count }
    return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
  }
}
