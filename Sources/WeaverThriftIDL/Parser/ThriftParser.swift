/// Options that change what the parser accepts.
public struct ThriftParserOptions: Hashable, Sendable {
  /// Keep explicit field ids `<= 0` as written (Apache's `--allow-neg-keys`). Without it they
  /// are replaced by an implicit id, with a warning, as Apache Thrift does.
  public var allowNegativeFieldIDs: Bool

  public init(allowNegativeFieldIDs: Bool = false) {
    self.allowNegativeFieldIDs = allowNegativeFieldIDs
  }
}

/// What parsing one file produced.
public struct ThriftParseResult: Sendable {
  public var document: ThriftDocument
  public var warnings: [ThriftIDLDiagnostic]
}

/// A recursive-descent parser for the Thrift IDL as Apache Thrift 0.17+ accepts it, plus
/// `uuid` (Thrift 0.19) and type names as field names (THRIFT-5626). It stops at the first
/// syntax error, which it throws with its `file:line:column`.
public struct ThriftParser {
  var tokens: [Token]
  var position = 0
  let options: ThriftParserOptions
  let path: String
  var warnings: [ThriftIDLDiagnostic] = []

  /// Parses IDL text. `path` names the file in diagnostics and in the document.
  public static func parse(_ text: String, path: String, options: ThriftParserOptions = .init()) throws(ThriftIDLError) -> ThriftParseResult {
    try parse(bytes: Array(text.utf8), path: path, options: options)
  }

  /// Parses the bytes of an IDL file, which must be UTF-8 (the first byte that is not is an
  /// error, located by line, column and byte offset).
  public static func parse(bytes: [UInt8], path: String, options: ThriftParserOptions = .init()) throws(ThriftIDLError) -> ThriftParseResult {
    var lexer = Lexer(bytes: bytes, file: path)
    let tokens = try lexer.tokenize()
    var parser = ThriftParser(tokens: tokens, options: options, path: path)
    parser.warnings = lexer.warnings
    let document = try parser.parseDocument()
    return ThriftParseResult(document: document, warnings: parser.warnings)
  }

  init(tokens: [Token], options: ThriftParserOptions, path: String) {
    self.tokens = tokens
    self.options = options
    self.path = path
  }

  // MARK: Token access

  var current: Token { tokens[position] }

  mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  func isSymbol(_ symbol: Character) -> Bool { current.kind == .symbol(symbol.asciiValue!) }
  func isKeyword(_ keyword: ThriftKeyword) -> Bool { current.kind == .keyword(keyword) }

  /// Consumes the symbol if it is next.
  mutating func accept(_ symbol: Character) -> Bool {
    guard isSymbol(symbol) else { return false }
    _ = advance()
    return true
  }

  mutating func accept(_ keyword: ThriftKeyword) -> Bool {
    guard isKeyword(keyword) else { return false }
    _ = advance()
    return true
  }

  mutating func expect(_ symbol: Character, _ context: @autoclosure () -> String) throws(ThriftIDLError) {
    guard accept(symbol) else { throw unexpected("'\(symbol)' \(context())") }
  }

  mutating func expectIdentifier(_ what: @autoclosure () -> String) throws(ThriftIDLError) -> (String, ThriftSourceLocation) {
    let token = current
    guard case .identifier(let name) = token.kind else { throw unexpected(what()) }
    _ = advance()
    return (name, token.location)
  }

  /// Like ``expectIdentifier(_:)`` but rejects dotted names, which only references may use.
  mutating func expectSimpleIdentifier(_ what: @autoclosure () -> String) throws(ThriftIDLError) -> (String, ThriftSourceLocation) {
    let (name, location) = try expectIdentifier(what())
    if name.contains(".") { throw ThriftIDLError(at: location, "name '\(name)' cannot contain a dot") }
    return (name, location)
  }

  mutating func expectLiteral(_ what: @autoclosure () -> String) throws(ThriftIDLError) -> String {
    guard case .literal(let text) = current.kind else { throw unexpected(what()) }
    _ = advance()
    return text
  }

  func unexpected(_ expected: String) -> ThriftIDLError {
    ThriftIDLError(at: current.location, "expected \(expected), found \(current.kind.spelling)")
  }

  mutating func warn(_ message: String, at location: ThriftSourceLocation) {
    warnings.append(.warning(at: location, message))
  }

  /// `,` or `;`, both optional, as between fields, values and definitions.
  mutating func skipSeparator() {
    if !accept(",") { _ = accept(";") }
  }
}
