import NIOCore

extension ByteBuffer {
  /// The first `limit` bytes as spaced hex, with an ellipsis if there are more.
  func hexPrefix(_ limit: Int = 24) -> String {
    let bytes = readableBytesView.prefix(limit).map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }
    return bytes.joined(separator: " ") + (readableBytes > limit ? " …" : "")
  }
}
