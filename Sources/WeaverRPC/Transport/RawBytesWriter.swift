/// Writes big-endian integers and string bytes through a raw pointer, into space a caller
/// reserved once (`ByteBuffer.writeWithUnsafeMutableBytes`): one capacity, uniqueness and
/// exclusivity check per header instead of one per value.
struct RawBytesWriter {
  private let base: UnsafeMutableRawPointer
  private(set) var offset = 0

  init(_ base: UnsafeMutableRawPointer) {
    self.base = base
  }

  mutating func write<Integer: FixedWidthInteger>(_ value: Integer) {
    (base + offset).storeBytes(of: value.bigEndian, as: Integer.self)
    offset += MemoryLayout<Integer>.size
  }

  /// The string's UTF-8 bytes (no length: the caller writes the length its format uses).
  mutating func write(_ string: String) {
    let copied = string.utf8.withContiguousStorageIfAvailable { bytes in
      if let source = bytes.baseAddress { (base + offset).copyMemory(from: source, byteCount: bytes.count) }
      return bytes.count
    }
    if let copied {
      offset += copied
      return
    }
    for byte in string.utf8 { write(byte) }
  }

  mutating func writeZeros(_ count: Int) {
    (base + offset).initializeMemory(as: UInt8.self, repeating: 0, count: count)
    offset += count
  }
}
