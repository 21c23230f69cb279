extension ThriftProgram {
  /// Checks a constant written in `document` against `type` and resolves it: references to
  /// other constants are followed, enum values looked up, containers de-duplicated.
  public func resolveConst(_ value: ThriftConstValue, as type: ThriftResolvedType, in document: String) throws(ThriftIDLError) -> ThriftResolvedConst {
    var visiting: Set<ThriftQualifiedName> = []
    return try resolveConst(value, as: type, in: document, visiting: &visiting)
  }

  private func resolveConst(
    _ value: ThriftConstValue, as type: ThriftResolvedType, in document: String, visiting: inout Set<ThriftQualifiedName>
  ) throws(ThriftIDLError) -> ThriftResolvedConst {
    if case .identifier(let name) = value.syntax {
      return try resolveIdentifier(name, at: value.location, as: type, in: document, visiting: &visiting)
    }
    func mismatch(_ expected: String) -> ThriftIDLError {
      ThriftIDLError(at: value.location, "type mismatch: expected \(expected), found \(value.syntax.kindName)")
    }
    switch type.underlying {
    case .typedef: fatalError("underlying never returns a typedef")
    case .base(let base):
      switch (base, value.syntax) {
      case (.bool, .int(let number)): return .bool(number != 0)
      case (.i8, .int(let number)): return .int(try checkRange(number, Int8.self, "i8", value.location))
      case (.i16, .int(let number)): return .int(try checkRange(number, Int16.self, "i16", value.location))
      case (.i32, .int(let number)): return .int(try checkRange(number, Int32.self, "i32", value.location))
      case (.i64, .int(let number)): return .int(number)
      case (.double, .int(let number)): return .double(Double(number))
      case (.double, .double(let number)): return .double(number)
      case (.string, .string(let text)): return .string(text)
      case (.binary, .string(let text)): return .binary(Array(text.utf8))
      case (.uuid, .string(let text)):
        guard let canonical = Self.canonicalUUID(text) else {
          throw ThriftIDLError(at: value.location, "'\(text)' is not a UUID (expected 8-4-4-4-12 hex digits)")
        }
        return .uuid(canonical)
      default:
        throw mismatch(base == .bool ? "a bool (true, false, 0 or 1)" : base.rawValue)
      }
    case .enumeration(let enumName):
      guard case .int(let number) = value.syntax else { throw mismatch("a value of enum \(enumName.name)") }
      let raw = try checkRange(number, Int32.self, "an enum value", value.location)
      let caseName = enumDefinition(enumName)?.values.first(where: { $0.value == Int32(raw) })?.name
      return .enumValue(enumName, caseName: caseName, value: Int32(raw))
    case .list(let element):
      return .list(try resolveElements(value, element, in: document, visiting: &visiting, mismatch("a list")))
    case .set(let element):
      var seen: Set<ThriftResolvedConst> = []
      let elements = try resolveElements(value, element, in: document, visiting: &visiting, mismatch("a set"))
      return .set(elements.filter { seen.insert($0).inserted })
    case .map(let keyType, let valueType):
      let entries: [ThriftConstMapEntry]
      switch value.syntax {
      case .map(let written): entries = written
      case .list(let written) where written.isEmpty: entries = []
      default: throw mismatch("a map")
      }
      var result: [ThriftResolvedConst.Entry] = []
      var index: [ThriftResolvedConst: Int] = [:]
      for entry in entries {
        let key = try resolveConst(entry.key, as: keyType, in: document, visiting: &visiting)
        let mapped = try resolveConst(entry.value, as: valueType, in: document, visiting: &visiting)
        if let existing = index[key] {
          result[existing].value = mapped
        } else {
          index[key] = result.count
          result.append(.init(key: key, value: mapped))
        }
      }
      return .map(result)
    case .structure(let structName, let kind):
      guard case .map(let entries) = value.syntax, let definition = structDefinition(structName) else {
        throw mismatch("a \(kind.rawValue) literal ({\"field\": value, ...}) for \(structName.name)")
      }
      var values: [String: ThriftResolvedConst] = [:]
      for entry in entries {
        guard case .string(let fieldName) = entry.key.syntax else {
          throw ThriftIDLError(at: entry.key.location, "\(kind.rawValue) literal keys must be quoted field names")
        }
        guard let field = definition.fields.first(where: { $0.name == fieldName }) else {
          throw ThriftIDLError(at: entry.key.location, "\(structName.name) has no field '\(fieldName)'")
        }
        let fieldType = try resolve(field.type, in: structName.document)
        values[fieldName] = try resolveConst(entry.value, as: fieldType, in: document, visiting: &visiting)
      }
      let fields = definition.fields.compactMap { field in values[field.name].map { ThriftResolvedConst.FieldValue(field: field, value: $0) } }
      if kind == .union {
        guard fields.count == 1 else {
          throw ThriftIDLError(at: value.location, "a union literal sets exactly one field; this one sets \(fields.count)")
        }
        return .union(structName, field: fields[0])
      }
      if let missing = definition.fields.first(where: { $0.requiredness == .required && values[$0.name] == nil }) {
        throw ThriftIDLError(at: value.location, "\(structName.name) literal must set its required field '\(missing.name)'")
      }
      return .structure(structName, fields: fields)
    }
  }

  private func resolveElements(
    _ value: ThriftConstValue, _ element: ThriftResolvedType, in document: String,
    visiting: inout Set<ThriftQualifiedName>, _ mismatch: @autoclosure () -> ThriftIDLError
  ) throws(ThriftIDLError) -> [ThriftResolvedConst] {
    switch value.syntax {
    case .list(let elements):
      var result: [ThriftResolvedConst] = []
      for element in elements.map({ ($0, element) }) {
        result.append(try resolveConst(element.0, as: element.1, in: document, visiting: &visiting))
      }
      return result
    case .map(let entries) where entries.isEmpty:
      return []  // Apache accepts `{}` as an empty list or set.
    default:
      throw mismatch()
    }
  }

  /// `Enum.VALUE`, `include.Enum.VALUE`, `CONST` or `include.CONST`.
  private func resolveIdentifier(
    _ name: String, at location: ThriftSourceLocation, as type: ThriftResolvedType, in document: String,
    visiting: inout Set<ThriftQualifiedName>
  ) throws(ThriftIDLError) -> ThriftResolvedConst {
    // Like Apache Thrift, an enum-typed constant is looked up by the part after the last dot
    // in the expected enum (Apache accepts `MyEnum1.ME2_2` for a `MyEnum2` field).
    if case .enumeration(let expected) = type.underlying, let dot = name.lastIndex(of: "."),
      let enumValue = enumDefinition(expected)?.values.first(where: { $0.name == name[name.index(after: dot)...] })
    {
      return .enumValue(expected, caseName: enumValue.name, value: enumValue.value)
    }
    if let (enumName, enumValue) = lookupEnumValue(name, from: document) {
      switch type.underlying {
      case .enumeration(let expected):
        guard expected == enumName else {
          throw ThriftIDLError(at: location, "type mismatch: '\(name)' is a value of enum \(enumName.name), expected a value of \(expected.name)")
        }
        return .enumValue(enumName, caseName: enumValue.name, value: enumValue.value)
      case .base(let base) where [.i8, .i16, .i32, .i64].contains(base):
        return try resolveConst(ThriftConstValue(.int(Int64(enumValue.value)), location: location), as: type, in: document, visiting: &visiting)
      default:
        throw ThriftIDLError(at: location, "type mismatch: '\(name)' is an enum value, expected \(type.displayName)")
      }
    }
    guard let constName = lookup(name, from: document), case .const(let constant) = definition(constName) else {
      if case .enumeration(let expected) = type.underlying, !name.contains(".") {
        throw ThriftIDLError(at: location, "unknown constant '\(name)'; enum values are written qualified, as '\(expected.name).\(name)'")
      }
      throw ThriftIDLError(at: location, "unknown constant '\(name)'")
    }
    guard visiting.insert(constName).inserted else {
      throw ThriftIDLError(at: location, "constant '\(name)' refers to itself")
    }
    defer { visiting.remove(constName) }
    return try resolveConst(constant.value, as: type, in: constName.document, visiting: &visiting)
  }

  /// Finds `Enum.VALUE` or `include.Enum.VALUE`.
  func lookupEnumValue(_ name: String, from document: String) -> (ThriftQualifiedName, ThriftEnumValue)? {
    guard let dot = name.lastIndex(of: ".") else { return nil }
    let valueName = String(name[name.index(after: dot)...])
    guard let enumName = lookup(String(name[..<dot]), from: document), let definition = enumDefinition(enumName),
      let value = definition.values.first(where: { $0.name == valueName })
    else { return nil }
    return (enumName, value)
  }

  private func checkRange<T: FixedWidthInteger>(_ number: Int64, _: T.Type, _ name: String, _ location: ThriftSourceLocation) throws(ThriftIDLError) -> Int64 {
    guard T(exactly: number) != nil else {
      throw ThriftIDLError(at: location, "value \(number) is out of range for \(name) (\(T.min)...\(T.max))")
    }
    return number
  }

  static func canonicalUUID(_ text: String) -> String? {
    var body = Substring(text)
    if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
    let groups = body.split(separator: "-", omittingEmptySubsequences: false)
    guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.utf8.allSatisfy(\.isHexDigit) }) else { return nil }
    return groups.joined(separator: "-").lowercased()
  }
}

extension ThriftConstSyntax {
  var kindName: String {
    switch self {
    case .int(let number): return "integer \(number)"
    case .double(let number): return "number \(number)"
    case .string(let text): return "string \"\(text)\""
    case .identifier(let name): return "'\(name)'"
    case .list: return "a list"
    case .map: return "a map"
    }
  }
}

extension ThriftResolvedType {
  /// How the type reads in messages.
  public var displayName: String {
    switch self {
    case .base(let base): return base.rawValue
    case .list(let element): return "list<\(element.displayName)>"
    case .set(let element): return "set<\(element.displayName)>"
    case .map(let key, let value): return "map<\(key.displayName),\(value.displayName)>"
    case .typedef(let name, _), .enumeration(let name), .structure(let name, _): return name.name
    }
  }
}
