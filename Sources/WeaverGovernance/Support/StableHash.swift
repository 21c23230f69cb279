/// A 64-bit hash that is the same in every process and on every platform (Swift's `Hasher`
/// is seeded randomly per process, so it cannot place keys on a shared ring).
enum StableHash {
  /// FNV-1a, 64 bits, over the UTF-8 bytes of `text`.
  static func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// FNV-1a followed by MurmurHash3's 64-bit finalizer: FNV alone spreads short strings
  /// that differ in their last bytes (`host:port#1`, `#2`, …) poorly in the high bits,
  /// which is where a ring's order is decided.
  static func hash(_ text: String) -> UInt64 {
    var z = fnv1a64(text)
    z ^= z >> 33
    z &*= 0xFF51_AFD7_ED55_8CCD
    z ^= z >> 33
    z &*= 0xC4CE_B9FE_1A85_EC53
    z ^= z >> 33
    return z
  }
}
