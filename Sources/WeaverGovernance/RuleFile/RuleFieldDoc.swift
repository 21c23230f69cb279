/// One field of the rule format, as described for the docs, the JSON Schema and `explain`.
public struct RuleFieldDoc: Sendable, Hashable {
  /// Dot-separated; list elements as `faults[].delay`.
  public var path: String
  public var aliases: [String]
  public var type: RuleFieldType
  /// The value in force (the default, when describing the defaults).
  public var current: String
  public var doc: String
}

/// The kinds of values rule fields take.
public enum RuleFieldType: Sendable, Hashable {
  case section
  case list
  case duration
  case percent
  case integer(min: Int, max: Int)
  case number(min: Double, max: Double)
  case boolean
  case string
  case choice([String])
  case codes
  /// `off`/null allowed besides the wrapped type.
  indirect case optional(RuleFieldType)

  /// How the docs and errors name it.
  public var summary: String {
    switch self {
    case .section: "a mapping"
    case .list: "a list"
    case .duration: "a duration such as 250ms, 10s or 2m"
    case .percent: "a percentage such as 60%"
    case .integer(let min, let max): max == .max ? "an integer ≥ \(min)" : "an integer in \(min)…\(max)"
    case .number(let min, let max): "a number in \(Self.format(min))…\(Self.format(max))"
    case .boolean: "true or false"
    case .string: "a string"
    case .choice(let values): "one of \(values.joined(separator: ", "))"
    case .codes: "error codes (\(Self.codeNames))"
    case .optional(let wrapped): "\(wrapped.summary), or off"
    }
  }

  static let codeNames = "connectFailed, deadlineExceeded, connectionClosed, protocolError, serverError, unavailable, …"

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
