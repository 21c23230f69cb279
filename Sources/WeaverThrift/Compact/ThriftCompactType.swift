/// The compact protocol's own type ids (4 bits on the wire).
@usableFromInline
enum ThriftCompactType {
  @usableFromInline static let booleanTrue: UInt8 = 1
  @usableFromInline static let booleanFalse: UInt8 = 2

  /// The compact id for a type; bools map to `booleanTrue`, as Apache writes them in
  /// container headers.
  @inlinable
  static func id(for type: ThriftType) -> UInt8 {
    switch type.rawValue {
    case 2: return 1  // bool
    case 3: return 3  // byte
    case 6: return 4  // i16
    case 8: return 5  // i32
    case 10: return 6  // i64
    case 4: return 7  // double
    case 11: return 8  // string, binary
    case 15: return 9  // list
    case 14: return 10  // set
    case 13: return 11  // map
    case 12: return 12  // struct
    case 16: return 13  // uuid
    default: return 0  // stop, void
    }
  }

  /// The type for a compact id; both boolean ids are `.bool`.
  @inlinable
  static func type(for id: UInt8) throws(ThriftProtocolError) -> ThriftType {
    // The binary-protocol id for each compact id, a byte each, lowest byte first (0xFF: none).
    // ids 0...7: none, bool, bool, byte, i16, i32, i64, double
    let low: UInt64 = 0x040A_0806_0302_02FF
    // ids 8...15: string, list, set, map, struct, uuid, none, none
    let high: UInt64 = 0xFFFF_100C_0D0E_0F0B
    guard id < 16 else { throw .unknownType(id) }
    let raw = UInt8(truncatingIfNeeded: (id < 8 ? low : high) >> (UInt64(id & 7) * 8))
    guard raw != 0xFF else { throw .unknownType(id) }
    return ThriftType(unchecked: raw)
  }

  /// The fewest bytes a value of `type` takes in the compact protocol.
  @inlinable
  static func minimumSize(of type: ThriftType) -> Int {
    switch type.rawValue {
    case 4: return 8  // double
    case 16: return 16  // uuid
    default: return 1
    }
  }

  @inlinable
  static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

  @inlinable
  static func zigzag(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }

  @inlinable
  static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

  @inlinable
  static func unzigzag(_ value: UInt32) -> Int32 { Int32(bitPattern: value >> 1) ^ -Int32(bitPattern: value & 1) }
}
