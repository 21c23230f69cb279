import WeaverThriftIDL

/// Prints an enum: one case per value plus a case that keeps numbers the IDL does not
/// define, so decoding never loses them.
struct EnumGenerator {
  let context: CodegenContext
  let definition: ThriftEnumDefinition

  func render(into out: inout SwiftCodeWriter) {
    let typeName = context.swiftName(of: context.qualified(definition.name))
    let names = EnumCaseNames(definition)
    let access = context.access
    out.doc(definition.doc)
    out.block("\(access)enum \(typeName): ThriftEnum, CaseIterable") { body in
      for value in definition.values {
        body.doc(value.doc)
        body.line("case \(SwiftNaming.escaped(names.name(of: value.name)))")
      }
      body.doc("A number this version of the IDL does not define.")
      body.line("case \(names.unrecognized)(Int32)")
      body.line()
      body.block("\(access)init(rawValue: Int32)") { initializer in
        initializer.switchBlock("rawValue") { cases in
          var seen: Set<Int32> = []
          for value in definition.values where seen.insert(value.value).inserted {
            cases.line("case \(value.value): self = .\(names.name(of: value.name))")
          }
          cases.line("default: self = .\(names.unrecognized)(rawValue)")
        }
      }
      body.line()
      body.block("\(access)var rawValue: Int32") { getter in
        getter.switchBlock("self") { cases in
          for value in definition.values {
            cases.line("case .\(names.name(of: value.name)): return \(value.value)")
          }
          cases.line("case .\(names.unrecognized)(let value): return value")
        }
      }
      body.line()
      let all = definition.values.map { "." + names.name(of: $0.name) }
      body.line("\(access)static var allCases: [\(typeName)] { [\(all.joined(separator: ", "))] }")
      body.line()
      body.line("\(access)static func == (lhs: \(typeName), rhs: \(typeName)) -> Bool { lhs.rawValue == rhs.rawValue }")
      body.line()
      body.line("\(access)func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }")
    }
  }
}
