extension ThriftParser {
  mutating func parseDocument() throws(ThriftIDLError) -> ThriftDocument {
    var document = ThriftDocument(path: path)
    // Headers come first, as in Apache Thrift.
    while true {
      let token = current
      if accept(.include) {
        if document.doc == nil, let doc = token.doc { document.doc = doc }
        let included = try expectLiteral("a quoted file name after 'include'")
        document.includes.append(ThriftInclude(path: included, location: token.location))
      } else if accept(.cppInclude) {
        document.cppIncludes.append(try expectLiteral("a quoted file name after 'cpp_include'"))
      } else if accept(.namespace) {
        if document.doc == nil, let doc = token.doc { document.doc = doc }
        document.namespaces.append(try parseNamespace(at: token.location))
      } else {
        break
      }
      skipSeparator()
    }
    while current.kind != .endOfFile {
      if isKeyword(.include) || isKeyword(.namespace) || isKeyword(.cppInclude) {
        throw ThriftIDLError(at: current.location, "\(current.kind.spelling) must come before all definitions")
      }
      document.definitions.append(try parseDefinition())
      skipSeparator()
    }
    return document
  }

  private mutating func parseNamespace(at location: ThriftSourceLocation) throws(ThriftIDLError) -> ThriftNamespace {
    let scope: String
    if accept("*") {
      scope = "*"
    } else {
      scope = try expectIdentifier("a language after 'namespace'").0
    }
    let name = try expectIdentifier("a namespace name").0
    let annotations = scope == "*" ? [] : try parseAnnotations()
    return ThriftNamespace(scope: scope, name: name, annotations: annotations, location: location)
  }

  private mutating func parseDefinition() throws(ThriftIDLError) -> ThriftDefinition {
    let token = current
    guard case .keyword(let keyword) = token.kind else {
      throw unexpected("a definition (const, typedef, enum, struct, union, exception or service)")
    }
    _ = advance()
    switch keyword {
    case .const: return .const(try parseConst(token))
    case .typedef: return .typedef(try parseTypedef(token))
    case .enum: return .enum(try parseEnum(token))
    case .struct: return .struct(try parseStruct(.struct, token))
    case .union: return .struct(try parseStruct(.union, token))
    case .exception: return .struct(try parseStruct(.exception, token))
    case .service: return .service(try parseService(token))
    default:
      position -= 1
      throw unexpected("a definition (const, typedef, enum, struct, union, exception or service)")
    }
  }

  private mutating func parseConst(_ start: Token) throws(ThriftIDLError) -> ThriftConstDefinition {
    let type = try parseFieldType()
    let (name, _) = try expectSimpleIdentifier("a constant name")
    try expect("=", "after the constant name")
    let value = try parseConstValue()
    return ThriftConstDefinition(name: name, type: type, value: value, doc: start.doc, location: start.location)
  }

  private mutating func parseTypedef(_ start: Token) throws(ThriftIDLError) -> ThriftTypedefDefinition {
    let type = try parseFieldType()
    let (name, _) = try expectSimpleIdentifier("a name for the typedef")
    let annotations = try parseAnnotations()
    return ThriftTypedefDefinition(name: name, type: type, annotations: annotations, doc: start.doc, location: start.location)
  }

  private mutating func parseEnum(_ start: Token) throws(ThriftIDLError) -> ThriftEnumDefinition {
    let (name, _) = try expectSimpleIdentifier("an enum name")
    try expect("{", "to open the enum body")
    var values: [ThriftEnumValue] = []
    var next: Int64 = 0
    while !accept("}") {
      let token = current
      let (valueName, location) = try expectSimpleIdentifier("an enum value name or '}'")
      var value = next
      var implicit = true
      if accept("=") {
        guard case .intConstant(let explicit) = current.kind else { throw unexpected("an integer value for '\(valueName)'") }
        let valueLocation = advance().location
        guard let fits = Int32(exactly: explicit) else {
          throw ThriftIDLError(at: valueLocation, "enum value \(valueName) = \(explicit) is out of range for i32")
        }
        value = Int64(fits)
        implicit = false
      } else if Int32(exactly: value) == nil {
        throw ThriftIDLError(at: location, "enum value \(valueName) overflows i32")
      }
      next = value + 1
      let annotations = try parseAnnotations()
      values.append(ThriftEnumValue(name: valueName, value: Int32(value), valueIsImplicit: implicit, annotations: annotations, doc: token.doc, location: location))
      skipSeparator()
    }
    let annotations = try parseAnnotations()
    return ThriftEnumDefinition(name: name, values: values, annotations: annotations, doc: start.doc, location: start.location)
  }

  private mutating func parseStruct(_ kind: ThriftStructDefinition.Kind, _ start: Token) throws(ThriftIDLError) -> ThriftStructDefinition {
    let (name, _) = try expectSimpleIdentifier("a name for the \(kind.rawValue)")
    if kind != .exception { _ = accept(.xsdAll) }
    try expect("{", "to open the \(kind.rawValue) body")
    let fields = try parseFieldList(closing: "}", owner: "\(kind.rawValue) \(name)")
    let annotations = try parseAnnotations()
    return ThriftStructDefinition(kind: kind, name: name, fields: fields, annotations: annotations, doc: start.doc, location: start.location)
  }

  private mutating func parseService(_ start: Token) throws(ThriftIDLError) -> ThriftServiceDefinition {
    let (name, _) = try expectSimpleIdentifier("a service name")
    var parent: (String, ThriftSourceLocation)?
    if accept(.extends) { parent = try expectIdentifier("the name of the service to extend") }
    try expect("{", "to open the service body")
    var functions: [ThriftFunction] = []
    while !accept("}") { functions.append(try parseFunction()) }
    let annotations = try parseAnnotations()
    return ThriftServiceDefinition(
      name: name, extends: parent?.0, extendsLocation: parent?.1, functions: functions,
      annotations: annotations, doc: start.doc, location: start.location)
  }

  private mutating func parseFunction() throws(ThriftIDLError) -> ThriftFunction {
    let start = current
    let isOneway = accept(.oneway)
    var returnType: ThriftTypeReference?
    if !accept(.void) {
      guard isTypeStart else { throw unexpected("a return type, 'void' or '}'") }
      returnType = try parseFieldType()
    }
    let (name, location) = try expectSimpleIdentifier("a function name")
    try expect("(", "to open the argument list of '\(name)'")
    let arguments = try parseFieldList(closing: ")", owner: "function \(name)")
    var exceptions: [ThriftField] = []
    if accept(.throws) {
      try expect("(", "after 'throws'")
      exceptions = try parseFieldList(closing: ")", owner: "throws clause of \(name)")
    }
    let annotations = try parseAnnotations()
    skipSeparator()
    return ThriftFunction(
      name: name, returnType: returnType, isOneway: isOneway, arguments: arguments, exceptions: exceptions,
      annotations: annotations, doc: start.doc, location: location)
  }
}
