/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), with an eight-bytes-at-a-time ASCII fast path. The standard library's
/// `String(validating:as:)` is generic over the encoding and instantiates metadata on every
/// call, which dominated string decoding; this plus `String(decoding:as:)` is several times
/// faster and equally strict.
@usableFromInline
enum UTF8Validation {
  @inlinable
  static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard var pointer = bytes.baseAddress else { return true }
    let end = pointer + bytes.count
    // ASCII, a word at a time.
    while end - pointer >= 8 {
      if pointer.loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
      pointer += 8
    }
    while pointer < end {
      let lead = pointer.load(as: UInt8.self)
      if lead < 0x80 {
        pointer += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0: length = 3; lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: length = 3; upper = 0x9F
      case 0xF0: length = 4; lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4: length = 4; upper = 0x8F
      default: return false
      }
      guard end - pointer >= length else { return false }
      let second = pointer.load(fromByteOffset: 1, as: UInt8.self)
      guard second >= lower && second <= upper else { return false }
      for offset in 2..<length {
        let continuation = pointer.load(fromByteOffset: offset, as: UInt8.self)
        guard continuation & 0xC0 == 0x80 else { return false }
      }
      pointer += length
    }
    return true
  }
}
