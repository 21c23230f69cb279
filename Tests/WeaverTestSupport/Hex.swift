import NIOCore

/// Hex helpers so tests can state byte vectors as the specs print them.
extension ByteBuffer {
  /// The bytes `hex` spells (whitespace ignored).
  public init(hex: String) {
    self.init()
    let digits = hex.filter { !$0.isWhitespace }
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      writeInteger(UInt8(digits[index..<next], radix: 16)!)
      index = next
    }
  }

  /// The readable bytes as lowercase hex.
  public var hex: String {
    readableBytesView.map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
  }
}
