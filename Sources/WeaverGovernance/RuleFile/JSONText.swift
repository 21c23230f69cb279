/// A JSON value with ordered keys, printed readably: enough to write the rule schema
/// without a serializer that reorders keys.
indirect enum JSONText: Sendable {
  case string(String)
  case literal(String)
  case array([JSONText])
  case object([(String, JSONText)])

  /// Two-space indented; arrays of scalars stay on one line.
  func rendered(indent: Int = 0) -> String {
    let pad = String(repeating: "  ", count: indent)
    switch self {
    case .string(let text): return Self.quote(text)
    case .literal(let text): return text
    case .array(let items):
      if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]" }
      return "[\n" + items.map { pad + "  " + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(pad)]"
    case .object(let members):
      if members.isEmpty { return "{}" }
      return "{\n" + members.map { "\(pad)  \(Self.quote($0.0)): \($0.1.rendered(indent: indent + 1))" }.joined(separator: ",\n") + "\n\(pad)}"
    }
  }

  private var isScalar: Bool {
    switch self {
    case .string, .literal: true
    case .array, .object: false
    }
  }

  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
