import NIOCore

/// One reply from a Redis server, in RESP2 or RESP3.
///
/// RESP2's null bulk string and null array both arrive as ``null``; RESP3's blob and simple
/// errors both arrive as ``error(_:)``; a verbatim string arrives as ``bulkString(_:)``
/// without its format prefix. Attributes (`|`) are read and dropped.
public enum RESPValue: Sendable, Hashable {
  case simpleString(String)
  case bulkString(ByteBuffer)
  case integer(Int64)
  case double(Double)
  case boolean(Bool)
  /// A RESP3 big number, as its decimal digits.
  case bigNumber(String)
  case null
  case error(RedisServerError)
  case array([RESPValue])
  case set([RESPValue])
  /// A RESP3 map, in the order the server sent it.
  case map([RESPPair])
  /// A RESP3 out-of-band message (pub/sub, client tracking).
  case push([RESPValue])
}

/// One entry of a RESP3 map.
public struct RESPPair: Sendable, Hashable {
  public var key: RESPValue
  public var value: RESPValue

  public init(key: RESPValue, value: RESPValue) {
    self.key = key
    self.value = value
  }
}

extension RESPValue {
  /// The text of a simple or bulk string (bulk strings decoded as UTF-8), or an integer's
  /// or double's decimal form; nil for anything else.
  public var string: String? {
    switch self {
    case .simpleString(let text): text
    case .bulkString(let bytes): String(buffer: bytes)
    case .integer(let value): String(value)
    case .double(let value): String(value)
    case .bigNumber(let digits): digits
    default: nil
    }
  }

  /// The bytes of a bulk or simple string; nil for anything else.
  public var bytes: ByteBuffer? {
    switch self {
    case .bulkString(let bytes): bytes
    case .simpleString(let text): ByteBuffer(string: text)
    default: nil
    }
  }

  /// An integer reply, or a string holding one (RESP2 sends some numbers as strings).
  public var int: Int? {
    switch self {
    case .integer(let value): Int(exactly: value)
    case .simpleString, .bulkString: string.flatMap { Int($0) }
    case .boolean(let value): value ? 1 : 0
    default: nil
    }
  }

  /// A double reply, or a string or integer holding one (RESP2 sends scores as strings).
  public var double: Double? {
    switch self {
    case .double(let value): value
    case .integer(let value): Double(value)
    case .simpleString, .bulkString: string.flatMap { Double($0) }
    default: nil
    }
  }

  /// The elements of an array, set or push; a map's keys and values alternating.
  public var elements: [RESPValue]? {
    switch self {
    case .array(let values), .set(let values), .push(let values): values
    case .map(let pairs): pairs.flatMap { [$0.key, $0.value] }
    default: nil
    }
  }

  /// The pairs of a RESP3 map, or of a RESP2 array of alternating keys and values.
  public var pairs: [RESPPair]? {
    switch self {
    case .map(let pairs): return pairs
    case .array(let values) where values.count % 2 == 0:
      return stride(from: 0, to: values.count, by: 2).map { RESPPair(key: values[$0], value: values[$0 + 1]) }
    default: return nil
    }
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// What kind of reply this is, for error messages (`bulk string`, `array`).
  public var kindDescription: String {
    switch self {
    case .simpleString: "simple string"
    case .bulkString: "bulk string"
    case .integer: "integer"
    case .double: "double"
    case .boolean: "boolean"
    case .bigNumber: "big number"
    case .null: "null"
    case .error: "error"
    case .array: "array"
    case .set: "set"
    case .map: "map"
    case .push: "push"
    }
  }
}
