import WeaverThriftIDL

extension CodegenContext {
  /// A Swift expression for a constant of `type`. Literals rely on the contextual type
  /// (generated constants and parameters always state theirs).
  func expression(_ value: ThriftResolvedConst, as type: ThriftResolvedType) -> String {
    let underlying = type.underlying
    switch value {
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number):
      let text = "\(number)"
      return text.contains(".") || text.contains("e") ? text : text + ".0"
    case .string(let text): return SwiftNaming.stringLiteral(text)
    case .binary(let bytes):
      return "Data(\(SwiftNaming.stringLiteral(String(decoding: bytes, as: UTF8.self))).utf8)"
    case .uuid(let text):
      let hex = Array(text.filter { $0 != "-" })
      let bytes = stride(from: 0, to: 32, by: 2).map { "0x" + String(hex[$0..<$0 + 2]) }
      return "UUID(uuid: (\(bytes.joined(separator: ", "))))"
    case .enumValue(let enumName, let caseName, let number):
      let typeName = swiftName(of: enumName)
      guard let caseName, let definition = program.enumDefinition(enumName) else { return "\(typeName)(rawValue: \(number))" }
      let cases = EnumCaseNames(definition)
      return ".\(cases.name(of: caseName))"
    case .list(let elements):
      guard case .list(let element) = underlying else { return "[]" }
      return "[" + elements.map { expression($0, as: element) }.joined(separator: ", ") + "]"
    case .set(let elements):
      guard case .set(let element) = underlying else { return "[]" }
      return "[" + elements.map { expression($0, as: element) }.joined(separator: ", ") + "]"
    case .map(let entries):
      guard case .map(let keyType, let valueType) = underlying, !entries.isEmpty else { return "[:]" }
      return "[" + entries.map { "\(expression($0.key, as: keyType)): \(expression($0.value, as: valueType))" }.joined(separator: ", ") + "]"
    case .structure(let structName, let fields):
      guard let definition = program.structDefinition(structName) else { return "\(swiftName(of: structName))()" }
      let plans = fieldPlans(definition.fields, kind: .structure, owner: structName, in: structName.document)
      let given = Dictionary(fields.map { ($0.field.name, $0.value) }, uniquingKeysWith: { $1 })
      let arguments = plans.compactMap { plan -> String? in
        if let value = given[plan.field.name] { return "\(plan.label): \(expression(value, as: plan.type))" }
        if plan.defaultValue == nil, let initial = plan.initialValue { return "\(plan.label): \(initial)" }
        return nil
      }
      return "\(swiftName(of: structName))(\(arguments.joined(separator: ", ")))"
    case .union(let unionName, let field):
      guard let definition = program.structDefinition(unionName) else { return "" }
      let plans = fieldPlans(definition.fields, kind: .structure, owner: unionName, in: unionName.document, reserved: UnionGenerator.reservedNames)
      guard let plan = plans.first(where: { $0.field.name == field.field.name }) else { return "" }
      return "\(swiftName(of: unionName)).\(plan.name)(\(expression(field.value, as: plan.type)))"
    }
  }
}

/// The Swift case names of an enum's values, unique within the enum.
struct EnumCaseNames {
  static let reserved: Set<String> = ["rawValue", "allCases", "hashValue", "thriftType"]
  private var names: [String: String] = [:]
  /// The name of the case that keeps numbers the IDL does not define.
  let unrecognized: String

  init(_ definition: ThriftEnumDefinition) {
    var allocator = SwiftNameAllocator(reserved: Self.reserved)
    for value in definition.values {
      let raw = SwiftNaming.unusableMemberNames.contains(value.name) ? value.name + "_" : value.name
      names[value.name] = allocator.claim(SwiftNaming.memberName(value.name), fallback: raw)
    }
    unrecognized = allocator.claim("unrecognized")
  }

  func name(of value: String) -> String { names[value] ?? SwiftNaming.memberName(value) }
}
