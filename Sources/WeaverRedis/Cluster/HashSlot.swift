/// Redis Cluster's key → slot mapping: CRC16-XMODEM of the key (or of its hash tag, the
/// text between the first `{` and the next `}` when not empty) modulo 16384.
public enum HashSlot {
  /// The number of slots in a cluster.
  public static let count: UInt16 = 16384

  /// The slot of `key`'s bytes.
  public static func slot<Bytes: Collection>(of key: Bytes) -> UInt16 where Bytes.Element == UInt8 {
    crc16(hashTag(of: key)) & (count - 1)
  }

  /// The slot of a string key.
  public static func slot(of key: String) -> UInt16 {
    slot(of: key.utf8)
  }

  /// The part of `key` that is hashed.
  static func hashTag<Bytes: Collection>(of key: Bytes) -> Bytes.SubSequence where Bytes.Element == UInt8 {
    guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
    let afterOpen = key.index(after: open)
    guard let close = key[afterOpen...].firstIndex(of: UInt8(ascii: "}")), close != afterOpen else { return key[...] }
    return key[afterOpen..<close]
  }

  /// CRC16-XMODEM (polynomial 0x1021, initial value 0): `"123456789"` → `0x31C3`.
  static func crc16<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
    var crc: UInt16 = 0
    for byte in bytes {
      crc = (crc << 8) ^ table[Int((crc >> 8) ^ UInt16(byte))]
    }
    return crc
  }

  private static let table: [UInt16] = (0..<256).map { index in
    var crc = UInt16(index) << 8
    for _ in 0..<8 {
      crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1
    }
    return crc
  }
}
