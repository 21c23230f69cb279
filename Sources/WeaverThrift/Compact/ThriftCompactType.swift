/// The compact protocol's own type ids (4 bits on the wire).
@usableFromInline
enum ThriftCompactType {
  @usableFromInline static let booleanTrue: UInt8 = 1
  @usableFromInline static let booleanFalse: UInt8 = 2

  /// The compact id for a type; bools map to `booleanTrue`, as Apache writes them in
  /// container headers.
  @inlinable
  static func id(for type: ThriftType) -> UInt8 {
    switch type {
    case .stop, .void: return 0
    case .bool: return 1
    case .byte: return 3
    case .i16: return 4
    case .i32: return 5
    case .i64: return 6
    case .double: return 7
    case .string: return 8
    case .list: return 9
    case .set: return 10
    case .map: return 11
    case .struct: return 12
    case .uuid: return 13
    }
  }

  /// The type for a compact id; both boolean ids are `.bool`.
  @inlinable
  static func type(for id: UInt8) throws(ThriftProtocolError) -> ThriftType {
    switch id {
    case 1, 2: return .bool
    case 3: return .byte
    case 4: return .i16
    case 5: return .i32
    case 6: return .i64
    case 7: return .double
    case 8: return .string
    case 9: return .list
    case 10: return .set
    case 11: return .map
    case 12: return .struct
    case 13: return .uuid
    default: throw .unknownType(id)
    }
  }

  /// The fewest bytes a value of `type` takes in the compact protocol.
  @inlinable
  static func minimumSize(of type: ThriftType) -> Int {
    switch type {
    case .double: return 8
    case .uuid: return 16
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
