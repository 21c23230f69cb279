import NIOCore
import WeaverThrift

/// Hex helpers so tests can state byte vectors as the specs print them.
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


/// Runs `body` with a binary reader over the bytes `hex` spells.
func withBinaryReader<T>(
  _ hex: String, limits: ThriftLimits = .default, strictRead: Bool = false,
  _ body: (inout ThriftBinaryReader) throws(ThriftProtocolError) -> T
) throws(ThriftProtocolError) -> T {
  var buffer = ByteBuffer(hex: hex)
  return try ThriftBinaryReader.read(&buffer, limits: limits, strictRead: strictRead, body)
}

/// Runs `body` with a compact reader over the bytes `hex` spells.
func withCompactReader<T>(
  _ hex: String, limits: ThriftLimits = .default, _ body: (inout ThriftCompactReader) throws(ThriftProtocolError) -> T
) throws(ThriftProtocolError) -> T {
  var buffer = ByteBuffer(hex: hex)
  return try ThriftCompactReader.read(&buffer, limits: limits, body)
}
