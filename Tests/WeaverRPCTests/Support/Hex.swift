import NIOCore

extension ByteBuffer {
  init(hex: String) {
    self.init()
    let digits = hex.filter { !$0.isWhitespace }
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      writeInteger(UInt8(digits[index..<next], radix: 16)!)
      index = next
    }
  }

  var hex: String {
    readableBytesView.map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
  }
}
