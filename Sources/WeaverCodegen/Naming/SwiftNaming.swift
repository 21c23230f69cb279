/// How Thrift names become Swift names. The rules are documented in `docs/codegen.md`:
///
/// - Names split into words at `_` and at case changes (`userId`, `user_id` and `USER_ID`
///   are all the words user, id).
/// - Types are UpperCamelCase, members lowerCamelCase (`user_profile` → `UserProfile`,
///   `user_id` → `userID`, `MAX_SIZE` → `maxSize`).
/// - Well-known initialisms are all capitals inside a name (`ID`, `URL`, `HTTP`, …) and all
///   lower-case at its start (`idList`).
/// - Two digit-groups that meet keep an underscore between them (`ME2_2` → `me2_2`).
/// - Swift keywords are escaped with backticks where they are declared or used alone (after a
///   dot, as in `.default` or `self.class`, Swift needs none); names that cannot be escaped (`self`,
///   `init`, `Type`, …) and types that would hide a standard type (`String`, `Data`, …) get
///   a trailing `_`.
enum SwiftNaming {
  static let initialisms: Set<String> = [
    "id", "ids", "url", "urls", "uri", "uuid", "http", "https", "json", "xml", "api", "ip", "tcp", "udp", "rpc",
    "sql", "html", "tls", "ssl", "dns", "ttl", "utf8", "cpu", "qps",
  ]

  /// The words of a Thrift identifier.
  static func words(_ name: String) -> [String] {
    var words: [String] = []
    for part in name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
      let characters = Array(part)
      var current = ""
      for (index, character) in characters.enumerated() {
        if !current.isEmpty, let previous = current.last {
          let next = index + 1 < characters.count ? characters[index + 1] : nil
          let startsHump = character.isUppercase && (previous.isLowercase || previous.isNumber)
          let endsAcronym = character.isUppercase && previous.isUppercase && (next?.isLowercase ?? false)
          if startsHump || endsAcronym {
            words.append(current)
            current = ""
          }
        }
        current.append(character)
      }
      if !current.isEmpty { words.append(current) }
    }
    return words
  }

  private static func capitalized(_ word: String) -> String {
    if initialisms.contains(word.lowercased()) { return special(word.lowercased()) }
    let letters = word.filter(\.isLetter)
    let rest = !letters.isEmpty && letters.allSatisfy(\.isUppercase) ? word.dropFirst().lowercased() : String(word.dropFirst())
    return word.prefix(1).uppercased() + rest
  }

  /// `ids` → `IDs`, `utf8` → `UTF8`, otherwise all capitals.
  private static func special(_ lower: String) -> String {
    lower.hasSuffix("s") && lower.count > 2 && initialisms.contains(String(lower.dropLast()))
      ? lower.dropLast().uppercased() + "s" : lower.uppercased()
  }

  private static func join(_ parts: [String]) -> String {
    var result = ""
    for part in parts {
      if let last = result.last, last.isNumber, part.first?.isNumber ?? false { result += "_" }
      result += part
    }
    return result
  }

  /// `user_id` → `userID`.
  static func lowerCamel(_ name: String) -> String {
    let words = words(name)
    guard let first = words.first else { return "_" }
    let result = join([first.lowercased()] + words.dropFirst().map(capitalized))
    return result.first?.isNumber ?? false ? "_" + result : result
  }

  /// `user_profile` → `UserProfile`.
  static func upperCamel(_ name: String) -> String {
    let result = join(words(name).map(capitalized))
    guard let first = result.first else { return "_" }
    return first.isNumber ? "_" + result : result
  }

  /// Words Swift reserves; as names they need backticks.
  static let keywords: Set<String> = [
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
    "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
    "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "_", "Type", "Protocol",
    "consume", "copy", "discard", "borrowing", "consuming", "some", "any",
  ]

  /// Member names that backticks cannot rescue (`x.self`, `x.init`, `T.Type` mean other things).
  static let unusableMemberNames: Set<String> = ["self", "Self", "init", "Type", "Protocol", "super", "_"]

  /// Type names generated code must not shadow.
  static let reservedTypeNames: Set<String> = [
    "Any", "Self", "Type", "Protocol", "Bool", "Int", "Int8", "Int16", "Int32", "Int64", "UInt8", "Double", "String",
    "Data", "UUID", "Set", "Array", "Dictionary", "Optional", "Error", "Never", "Void", "Sendable", "Hashable",
    "Equatable", "CaseIterable", "Hasher", "ByteBuffer", "TApplicationException", "ThriftCodable", "ThriftEncodable", "ThriftStruct",
    "ThriftEnum", "ThriftType", "ThriftProtocolReader", "ThriftProtocolWriter", "ThriftProtocolError",
    "ThriftIndirect", "ThriftDefaults", "ThriftMethodDescriptor", "ThriftServiceDispatcher", "ThriftInProcessChannel", "ThriftService", "ThriftLimits", "ThriftProtocolID", "ThriftMethodResult", "ThriftOnewayResult",
    "ThriftClientChannel", "ThriftServerMethod", "ThriftStructScope", "Reader", "Writer", "Channel",
  ]

  /// A name usable as a property, case, function or parameter.
  static func memberName(_ thriftName: String) -> String {
    let name = lowerCamel(thriftName)
    return unusableMemberNames.contains(name) ? name + "_" : name
  }

  /// A name usable as a type.
  static func typeName(_ thriftName: String) -> String {
    let name = upperCamel(thriftName)
    return reservedTypeNames.contains(name) || keywords.contains(name) ? name + "_" : name
  }

  /// The identifier as it must be written in code: with backticks if it is a keyword.
  static func escaped(_ identifier: String) -> String {
    keywords.contains(identifier) ? "`\(identifier)`" : identifier
  }

  /// A Swift string literal for `text`.
  static func stringLiteral(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\0": result += "\\0"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

/// Hands out unique names within one scope: the first claimant of a name gets it; later
/// ones fall back to their raw Thrift name, then to trailing underscores.
struct SwiftNameAllocator {
  private var taken: Set<String>

  init(reserved: Set<String> = []) {
    self.taken = reserved
  }

  mutating func claim(_ preferred: String, fallback: String? = nil) -> String {
    var candidates = [preferred]
    if let fallback, fallback != preferred { candidates.append(fallback) }
    for candidate in candidates where !taken.contains(candidate) {
      taken.insert(candidate)
      return candidate
    }
    var name = preferred + "_"
    while taken.contains(name) { name += "_" }
    taken.insert(name)
    return name
  }
}
