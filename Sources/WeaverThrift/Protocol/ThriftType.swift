/// The type ids of the Thrift wire format (binary protocol numbering).
public enum ThriftType: UInt8, Sendable, Hashable, CustomStringConvertible {
  case stop = 0
  case void = 1
  case bool = 2
  case byte = 3
  case double = 4
  case i16 = 6
  case i32 = 8
  case i64 = 10
  /// Also `binary`.
  case string = 11
  case `struct` = 12
  case map = 13
  case set = 14
  case list = 15
  case uuid = 16

  public var description: String {
    switch self {
    case .stop: return "stop"
    case .void: return "void"
    case .bool: return "bool"
    case .byte: return "byte"
    case .double: return "double"
    case .i16: return "i16"
    case .i32: return "i32"
    case .i64: return "i64"
    case .string: return "string"
    case .struct: return "struct"
    case .map: return "map"
    case .set: return "set"
    case .list: return "list"
    case .uuid: return "uuid"
    }
  }

  /// Whether values of this type can appear as a field or element (everything but stop and void).
  @inlinable
  var isValueType: Bool { self != .stop && self != .void }
}
