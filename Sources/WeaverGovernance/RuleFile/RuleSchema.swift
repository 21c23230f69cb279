import WeaverCore

/// The JSON Schema (draft 2020-12) of the rule file format, built from the field list.
enum RuleSchema {
  static func document(_ fields: [RuleFieldDoc]) -> String {
    var top: [(String, JSONText)] = [
      ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
      ("title", .string("CloudWeaver service rules (service.yaml)")),
      ("description", .string("Governance rules of one service: the service-wide rules, and per-method overrides under methods.")),
    ]
    var properties: [(String, JSONText)] = [("service", .object([("type", .string("string")), ("minLength", .literal("1")), ("description", .string("The service these rules are for."))]))]
    properties += members(prefix: "", fields)
    properties.append(("methods", .object([
      ("type", .string("object")),
      ("description", .string("Per-method overrides: any of the rules above, for one method.")),
      ("additionalProperties", .object([("$ref", .string("#/$defs/rules"))])),
    ])))
    top += [("type", .string("object")), ("additionalProperties", .literal("false")), ("properties", .object(properties))]
    top.append(("$defs", .object([("rules", object(prefix: "", fields, description: nil))])))
    return JSONText.object(top).rendered() + "\n"
  }

  private static func object(prefix: String, _ fields: [RuleFieldDoc], description: String?) -> JSONText {
    var members: [(String, JSONText)] = [("type", .string("object"))]
    if let description { members.append(("description", .string(description))) }
    members += [("additionalProperties", .literal("false")), ("properties", .object(self.members(prefix: prefix, fields)))]
    return .object(members)
  }

  private static func members(prefix: String, _ fields: [RuleFieldDoc]) -> [(String, JSONText)] {
    var members: [(String, JSONText)] = []
    for field in fields where field.path.hasPrefix(prefix) && !field.path.dropFirst(prefix.count).contains(".") {
      let name = String(field.path.dropFirst(prefix.count))
      switch field.type {
      case .section:
        members.append((name, object(prefix: field.path + ".", fields, description: field.doc)))
      case .list:
        members.append((name, .object([
          ("type", .string("array")), ("description", .string(field.doc)),
          ("items", object(prefix: field.path + "[].", fields, description: nil)),
        ])))
      default:
        members.append((name, .object(typeMembers(field.type) + [("default", defaultValue(field)), ("description", .string(field.doc))])))
      }
      for alias in field.aliases {
        members.append((alias, .object([("$ref", .string("#/$defs/rules/properties/" + field.path.replacingDots)), ("description", .string("The same as \(name)."))])))
      }
    }
    return members
  }

  private static func typeMembers(_ type: RuleFieldType) -> [(String, JSONText)] {
    let codeNames = JSONText.array(RPCError.Code.all.map { .string($0.name) })
    switch type {
    case .duration: return [("type", .string("string")), ("pattern", .string("^[0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h)$"))]
    case .percent: return [("type", .string("string")), ("pattern", .string("^[0-9]+(\\.[0-9]+)? ?%$"))]
    case .integer(let min, let max):
      return [("type", .string("integer")), ("minimum", .literal("\(min)"))] + (max == .max ? [] : [("maximum", .literal("\(max)"))])
    case .number(let min, let max):
      return [("type", .string("number")), ("minimum", .literal(RuleFieldType.format(min))), ("maximum", .literal(RuleFieldType.format(max)))]
    case .boolean: return [("type", .string("boolean"))]
    case .string: return [("type", .string("string")), ("minLength", .literal("1"))]
    case .choice(let values):
      // YAML 1.1 tools write `off` as false.
      return [("enum", .array(values.map { .string($0) } + (values.contains("off") ? [.literal("false")] : [])))]
    case .codes: return [("type", .string("array")), ("items", .object([("enum", codeNames)]))]
    case .optional(.codes): return [("anyOf", .array([.object([("enum", codeNames)])] + offForms))]
    case .optional(let wrapped): return [("anyOf", .array([.object(typeMembers(wrapped))] + offForms))]
    case .section, .list: return [("type", .string("object"))]
    }
  }

  /// How "off" may be written: `off`, null, or false (what YAML 1.1 tools make of `off`).
  private static let offForms: [JSONText] = [
    .object([("const", .string("off"))]), .object([("type", .string("null"))]), .object([("const", .literal("false"))]),
  ]

  private static func defaultValue(_ field: RuleFieldDoc) -> JSONText {
    switch field.type {
    case .boolean, .integer, .number: return .literal(field.current)
    case .optional(.integer), .optional(.number): return field.current == "off" ? .string("off") : .literal(field.current)
    case .codes:
      let names = field.current.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces }
      return .array(names.filter { !$0.isEmpty }.map { .string($0) })
    default: return .string(field.current)
    }
  }
}

extension String {
  /// A dotted field path as a JSON pointer into the rules' properties.
  var replacingDots: String { split(separator: ".").joined(separator: "/properties/") }
}
