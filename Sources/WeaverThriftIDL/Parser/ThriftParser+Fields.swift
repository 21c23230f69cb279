extension ThriftParser {
  /// Fields up to and including `closing`, with implicit ids counting down from -1.
  mutating func parseFieldList(closing: Character, owner: String) throws(ThriftIDLError) -> [ThriftField] {
    var fields: [ThriftField] = []
    var nextImplicitID: Int64 = -1
    while !accept(closing) {
      fields.append(try parseField(nextImplicitID: &nextImplicitID, closing: closing, owner: owner))
    }
    return fields
  }

  private mutating func parseField(nextImplicitID: inout Int64, closing: Character, owner: String) throws(ThriftIDLError) -> ThriftField {
    let start = current
    var id: Int64
    var implicit = false
    var written = true
    if case .intConstant(let written) = current.kind {
      _ = advance()
      try expect(":", "after the field id \(written)")
      if written > 0 || options.allowNegativeFieldIDs {
        id = written
        if written <= 0 { nextImplicitID = min(nextImplicitID, written - 1) }
      } else {
        id = nextImplicitID
        nextImplicitID -= 1
        implicit = true
        warn("field id \(written) is not positive; using implicit id \(id) (pass --allow-neg-keys to keep it)", at: start.location)
      }
    } else {
      guard isTypeStart || isKeyword(.required) || isKeyword(.optional) else {
        throw unexpected("a field or '\(closing)'")
      }
      written = false
      id = nextImplicitID
      nextImplicitID -= 1
      implicit = true
    }
    guard let fieldID = Int16(exactly: id) else {
      throw ThriftIDLError(at: start.location, "field id \(id) is out of range (\(Int16.min)...\(Int16.max))")
    }
    var requiredness = ThriftRequiredness.default
    if accept(.required) {
      requiredness = .required
    } else if accept(.optional) {
      requiredness = .optional
    }
    let type = try parseFieldType()
    let isReference = accept("&")
    let (name, location) = try expectFieldName()
    if !written {
      warn("field '\(name)' in \(owner) has no id; it gets the implicit id \(fieldID)", at: location)
    }
    var defaultValue: ThriftConstValue?
    if accept("=") { defaultValue = try parseConstValue() }
    _ = accept(.xsdOptional)
    _ = accept(.xsdNillable)
    if accept(.xsdAttrs) {
      try expect("{", "after 'xsd_attrs'")
      _ = try parseFieldList(closing: "}", owner: "xsd_attrs of \(name)")
    }
    let annotations = try parseAnnotations()
    skipSeparator()
    return ThriftField(
      id: fieldID, idIsImplicit: implicit, requiredness: requiredness, type: type, name: name,
      defaultValue: defaultValue, isReference: isReference, annotations: annotations, doc: start.doc, location: location)
  }

  var isTypeStart: Bool {
    switch current.kind {
    case .identifier: return true
    case .keyword(let keyword): return keyword.namesType
    default: return false
    }
  }

  /// A field name: an identifier without dots, or a type keyword (`1: list<i32> list`), as
  /// Apache accepts since THRIFT-5626; its other names stay identifiers only.
  private mutating func expectFieldName() throws(ThriftIDLError) -> (String, ThriftSourceLocation) {
    if case .keyword(let keyword) = current.kind, keyword.namesType {
      return (keyword.rawValue, advance().location)
    }
    return try expectSimpleIdentifier("a field name")
  }

  /// A field type: a base type, a container, or a (possibly qualified) name.
  mutating func parseFieldType() throws(ThriftIDLError) -> ThriftTypeReference {
    let token = current
    let location = token.location
    switch token.kind {
    case .identifier(let name):
      _ = advance()
      return ThriftTypeReference(.named(name), location: location)
    case .keyword(let keyword):
      let base: ThriftBaseType
      switch keyword {
      case .bool: base = .bool
      case .byte, .i8: base = .i8
      case .i16: base = .i16
      case .i32: base = .i32
      case .i64: base = .i64
      case .double: base = .double
      case .string: base = .string
      case .binary: base = .binary
      case .uuid: base = .uuid
      case .map, .set, .list:
        _ = advance()
        return try parseContainer(keyword, at: location)
      default:
        throw unexpected("a type")
      }
      _ = advance()
      return ThriftTypeReference(.base(base), annotations: try parseAnnotations(), location: location)
    default:
      throw unexpected("a type")
    }
  }

  private mutating func parseContainer(_ keyword: ThriftKeyword, at location: ThriftSourceLocation) throws(ThriftIDLError) -> ThriftTypeReference {
    var cppType: String?
    switch keyword {
    case .map:
      cppType = try parseCppType()
      try expect("<", "after 'map'")
      let key = try parseFieldType()
      try expect(",", "between the key and value types of a map")
      let value = try parseFieldType()
      try expect(">", "to close the map type")
      return ThriftTypeReference(.map(key: key, value: value), annotations: try parseAnnotations(), cppType: cppType, location: location)
    case .set:
      cppType = try parseCppType()
      try expect("<", "after 'set'")
      let element = try parseFieldType()
      try expect(">", "to close the set type")
      return ThriftTypeReference(.set(element), annotations: try parseAnnotations(), cppType: cppType, location: location)
    default:
      try expect("<", "after 'list'")
      let element = try parseFieldType()
      try expect(">", "to close the list type")
      cppType = try parseCppType()
      return ThriftTypeReference(.list(element), annotations: try parseAnnotations(), cppType: cppType, location: location)
    }
  }

  private mutating func parseCppType() throws(ThriftIDLError) -> String? {
    guard accept(.cppType) else { return nil }
    return try expectLiteral("a quoted type after 'cpp_type'")
  }

  /// `( key [= "value"] [,;] ... )`, or nothing.
  mutating func parseAnnotations() throws(ThriftIDLError) -> [ThriftAnnotation] {
    guard accept("(") else { return [] }
    var annotations: [ThriftAnnotation] = []
    while !accept(")") {
      let token = current
      let key: String
      switch token.kind {
      case .identifier(let name): key = name
      case .keyword(let keyword): key = keyword.rawValue
      default: throw unexpected("an annotation name or ')'")
      }
      _ = advance()
      var value = "1"
      if accept("=") { value = try expectLiteral("a quoted annotation value") }
      annotations.append(ThriftAnnotation(key: key, value: value, location: token.location))
      skipSeparator()
    }
    return annotations
  }

  /// A constant: number, string, identifier, `[list]` or `{map}`.
  mutating func parseConstValue() throws(ThriftIDLError) -> ThriftConstValue {
    let token = current
    switch token.kind {
    case .intConstant(let value):
      _ = advance()
      return ThriftConstValue(.int(value), location: token.location)
    case .doubleConstant(let value):
      _ = advance()
      return ThriftConstValue(.double(value), location: token.location)
    case .literal(let text):
      _ = advance()
      return ThriftConstValue(.string(text), location: token.location)
    case .identifier(let name):
      _ = advance()
      return ThriftConstValue(.identifier(name), location: token.location)
    case .symbol(UInt8(ascii: "[")):
      _ = advance()
      var elements: [ThriftConstValue] = []
      while !accept("]") {
        elements.append(try parseConstValue())
        skipSeparator()
      }
      return ThriftConstValue(.list(elements), location: token.location)
    case .symbol(UInt8(ascii: "{")):
      _ = advance()
      var entries: [ThriftConstMapEntry] = []
      while !accept("}") {
        let key = try parseConstValue()
        try expect(":", "between a key and its value")
        let value = try parseConstValue()
        entries.append(ThriftConstMapEntry(key: key, value: value))
        skipSeparator()
      }
      return ThriftConstValue(.map(entries), location: token.location)
    default:
      throw unexpected("a constant value")
    }
  }
}
