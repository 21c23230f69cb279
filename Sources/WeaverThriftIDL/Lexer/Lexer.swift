/// Turns IDL text into tokens, the way Apache Thrift's flex lexer does.
///
/// The text must be UTF-8: the first byte that is not is an error at its line, column and
/// byte offset.
///
/// Comments are `//`, `#` (to the end of the line) and `/* ... */`; `/** ... */` is a doc
/// comment and is attached to the next token. `true`/`false` are integer constants (1 and 0),
/// as in Apache Thrift. Identifiers may contain dots (`shared.Type`). Locations are 1-based;
/// columns count UTF-8 bytes, as clang's do.
struct Lexer {
  private let bytes: [UInt8]
  private let file: String
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private(set) var warnings: [ThriftIDLDiagnostic] = []

  init(bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  init(text: String, file: String) {
    self.init(bytes: Array(text.utf8), file: file)
  }

  /// Lexes the whole input.
  mutating func tokenize() throws(ThriftIDLError) -> [Token] {
    try checkUTF8()
    var tokens: [Token] = []
    while true {
      let token = try next()
      tokens.append(token)
      if token.kind == .endOfFile { return tokens }
    }
  }

  private var location: ThriftSourceLocation {
    ThriftSourceLocation(file: file, line: line, column: index - lineStart + 1)
  }

  private func peek(_ offset: Int = 0) -> UInt8? {
    let position = index + offset
    return position < bytes.count ? bytes[position] : nil
  }

  private mutating func advance() {
    if bytes[index] == UInt8(ascii: "\n") {
      line += 1
      lineStart = index + 1
    }
    index += 1
  }

  private func error(_ message: String, at location: ThriftSourceLocation? = nil) -> ThriftIDLError {
    ThriftIDLError(at: location ?? self.location, message)
  }

  private mutating func next() throws(ThriftIDLError) -> Token {
    let doc = try skipTrivia()
    let start = location
    guard let byte = peek() else { return Token(kind: .endOfFile, location: start, doc: doc) }
    let kind: TokenKind
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      kind = .literal(try lexLiteral())
    case _ where byte.isIdentifierStart:
      kind = try lexWord(start: start)
    case _ where byte.isDigit || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
      || (byte == UInt8(ascii: ".") && (peek(1)?.isDigit ?? false)):
      kind = try lexNumber(start: start)
    case _ where Self.symbols.contains(byte):
      advance()
      kind = .symbol(byte)
    default:
      throw error("unexpected character '\(Character(UnicodeScalar(byte)))'")
    }
    return Token(kind: kind, location: start, doc: doc)
  }

  private static let symbols: Set<UInt8> = Set(":;,{}()=<>[]*&".utf8)

  /// Throws at the first byte that does not belong to a valid UTF-8 sequence.
  private func checkUTF8() throws(ThriftIDLError) {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar):
        offset += scalar.count
      case .error:
        let before = bytes[..<offset]
        let badLineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let location = ThriftSourceLocation(
          file: file, line: 1 + before.count(where: { $0 == UInt8(ascii: "\n") }), column: offset - badLineStart + 1)
        let hex = Array("0123456789ABCDEF")
        let byte = "0x\(hex[Int(bytes[offset] >> 4)])\(hex[Int(bytes[offset] & 0xF)])"
        throw error("not valid UTF-8 at byte offset \(offset) (\(byte))", at: location)
      case .emptyInput:
        return
      }
    }
  }

  /// Skips whitespace and comments; returns the text of the last doc comment seen.
  private mutating func skipTrivia() throws(ThriftIDLError) -> String? {
    var doc: String?
    while let byte = peek() {
      if byte.isWhitespace {
        advance()
      } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
        while let current = peek(), current != UInt8(ascii: "\n") { advance() }
      } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
        let start = location
        let isDoc = peek(2) == UInt8(ascii: "*") && peek(3) != UInt8(ascii: "/")
        advance()
        advance()
        let bodyStart = index
        while !(peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
          guard peek() != nil else { throw error("unterminated comment", at: start) }
          advance()
        }
        let body = bytes[bodyStart..<index]
        advance()
        advance()
        if isDoc { doc = DocComment.clean(String(decoding: body.dropFirst(), as: UTF8.self)) }
      } else {
        break
      }
    }
    return doc
  }

  private mutating func lexLiteral() throws(ThriftIDLError) -> String {
    let start = location
    let quote = bytes[index]
    advance()
    var result: [UInt8] = []
    while true {
      guard let byte = peek() else { throw error("unterminated string literal", at: start) }
      if byte == UInt8(ascii: "\n") { throw error("end of line inside a string literal", at: start) }
      advance()
      if byte == quote { break }
      if byte != UInt8(ascii: "\\") {
        result.append(byte)
        continue
      }
      let escapeLocation = location
      guard let escaped = peek() else { throw error("unterminated string literal", at: start) }
      advance()
      switch escaped {
      case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
      case UInt8(ascii: "r"): result.append(UInt8(ascii: "\r"))
      case UInt8(ascii: "t"): result.append(UInt8(ascii: "\t"))
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): result.append(escaped)
      default:
        throw error("bad escape sequence '\\\(Character(UnicodeScalar(escaped)))' in string literal", at: escapeLocation)
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  private mutating func lexWord(start: ThriftSourceLocation) throws(ThriftIDLError) -> TokenKind {
    let begin = index
    advance()
    while let byte = peek() {
      if byte.isIdentifierBody {
        advance()
      } else if byte == UInt8(ascii: "."), let following = peek(1), following.isIdentifierBody {
        advance()
      } else {
        break
      }
    }
    let word = String(decoding: bytes[begin..<index], as: UTF8.self)
    switch word {
    case "true": return .intConstant(1)
    case "false": return .intConstant(0)
    case "async":
      warnings.append(.warning(at: start, "'async' is deprecated; it is called 'oneway' now"))
      return .keyword(.oneway)
    case "slist", "senum":
      throw error("'\(word)' is no longer supported; use 'string' instead", at: start)
    case "cpp_namespace", "java_package", "delphi_namespace", "php_namespace", "py_module",
      "perl_package", "ruby_namespace", "smalltalk_category", "smalltalk_prefix", "xsd_namespace":
      throw error("unsupported declaration '\(word)'; use 'namespace <language> <name>' instead", at: start)
    default:
      if let keyword = ThriftKeyword(rawValue: word) { return .keyword(keyword) }
      return .identifier(word)
    }
  }

  private mutating func lexNumber(start: ThriftSourceLocation) throws(ThriftIDLError) -> TokenKind {
    let begin = index
    var negative = false
    if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      negative = sign == UInt8(ascii: "-")
      advance()
    }
    if peek() == UInt8(ascii: "0"), peek(1) == UInt8(ascii: "x"), peek(2)?.isHexDigit ?? false {
      advance()
      advance()
      let digitsStart = index
      while peek()?.isHexDigit ?? false { advance() }
      let digits = String(decoding: bytes[digitsStart..<index], as: UTF8.self)
      guard let magnitude = UInt64(digits, radix: 16), let value = Self.signed(magnitude, negative: negative) else {
        throw error("integer constant \(String(decoding: bytes[begin..<index], as: UTF8.self)) does not fit in 64 bits", at: start)
      }
      return .intConstant(value)
    }
    var isDouble = false
    while peek()?.isDigit ?? false { advance() }
    if peek() == UInt8(ascii: "."), peek(1)?.isDigit ?? false {
      isDouble = true
      advance()
      while peek()?.isDigit ?? false { advance() }
    }
    if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      var offset = 1
      if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { offset = 2 }
      if peek(offset)?.isDigit ?? false {
        isDouble = true
        for _ in 0..<offset { advance() }
        while peek()?.isDigit ?? false { advance() }
      }
    }
    let text = String(decoding: bytes[begin..<index], as: UTF8.self)
    if text == "+" || text == "-" { throw error("expected a number after '\(text)'", at: start) }
    if isDouble {
      guard let value = Double(text) else { throw error("malformed number '\(text)'", at: start) }
      return .doubleConstant(value)
    }
    let digits = text.first == "+" || text.first == "-" ? String(text.dropFirst()) : text
    guard let magnitude = UInt64(digits), let value = Self.signed(magnitude, negative: negative) else {
      throw error("integer constant \(text) does not fit in 64 bits", at: start)
    }
    return .intConstant(value)
  }

  private static func signed(_ magnitude: UInt64, negative: Bool) -> Int64? {
    if negative {
      if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
      return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
    }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
  }
}

extension UInt8 {
  var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
  var isHexDigit: Bool {
    isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
      || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
  }
  var isLetter: Bool {
    (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
  }
  var isIdentifierStart: Bool { isLetter || self == UInt8(ascii: "_") }
  var isIdentifierBody: Bool { isIdentifierStart || isDigit }
  var isWhitespace: Bool {
    self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\n") || self == UInt8(ascii: "\r")
  }
}
