/// A type id of the Thrift wire format (binary protocol numbering).
///
/// A struct over the wire byte rather than an enum: converting a byte read from the wire is
/// then a bit test, not a `switch`, which the decoding hot path pays for on every field.
public struct ThriftType: Hashable, Sendable, CustomStringConvertible {
  /// The byte the binary protocol writes for this type.
  public let rawValue: UInt8

  @inlinable
  init(unchecked rawValue: UInt8) {
    self.rawValue = rawValue
  }

  /// The type with this binary-protocol id, or nil if there is none.
  @inlinable
  public init?(rawValue: UInt8) {
    guard rawValue < 32, Self.knownIDs & (1 << UInt32(rawValue)) != 0 else { return nil }
    self.rawValue = rawValue
  }

  /// Bits set for every defined id: 0 stop, 1 void, 2 bool, 3 byte, 4 double, 6 i16, 8 i32,
  /// 10 i64, 11 string, 12 struct, 13 map, 14 set, 15 list, 16 uuid.
  @usableFromInline static let knownIDs: UInt32 = 0b1_1111_1101_0101_1111

  /// Ids that can be a field's or element's type (all but stop and void).
  @usableFromInline static let valueIDs: UInt32 = 0b1_1111_1101_0101_1100

  @inlinable public static var stop: ThriftType { ThriftType(unchecked: 0) }
  @inlinable public static var void: ThriftType { ThriftType(unchecked: 1) }
  @inlinable public static var bool: ThriftType { ThriftType(unchecked: 2) }
  @inlinable public static var byte: ThriftType { ThriftType(unchecked: 3) }
  @inlinable public static var double: ThriftType { ThriftType(unchecked: 4) }
  @inlinable public static var i16: ThriftType { ThriftType(unchecked: 6) }
  @inlinable public static var i32: ThriftType { ThriftType(unchecked: 8) }
  @inlinable public static var i64: ThriftType { ThriftType(unchecked: 10) }
  /// Also `binary`.
  @inlinable public static var string: ThriftType { ThriftType(unchecked: 11) }
  @inlinable public static var `struct`: ThriftType { ThriftType(unchecked: 12) }
  @inlinable public static var map: ThriftType { ThriftType(unchecked: 13) }
  @inlinable public static var set: ThriftType { ThriftType(unchecked: 14) }
  @inlinable public static var list: ThriftType { ThriftType(unchecked: 15) }
  @inlinable public static var uuid: ThriftType { ThriftType(unchecked: 16) }

  public var description: String {
    switch rawValue {
    case 0: return "stop"
    case 1: return "void"
    case 2: return "bool"
    case 3: return "byte"
    case 4: return "double"
    case 6: return "i16"
    case 8: return "i32"
    case 10: return "i64"
    case 11: return "string"
    case 12: return "struct"
    case 13: return "map"
    case 14: return "set"
    case 15: return "list"
    case 16: return "uuid"
    default: return "type \(rawValue)"
    }
  }

  /// Whether values of this type can appear as a field or element (everything but stop and void).
  @inlinable
  var isValueType: Bool { Self.valueIDs & (1 << UInt32(rawValue)) != 0 }

  /// The type of a field or element type byte, or nil for stop, void and unknown ids.
  @inlinable @inline(__always)
  static func valueType(wire raw: UInt8) -> ThriftType? {
    guard raw < 32, valueIDs & (1 << UInt32(raw)) != 0 else { return nil }
    return ThriftType(unchecked: raw)
  }
}
