import WeaverThriftIDL

/// Prints a union as a Swift enum with one case per field.
struct UnionGenerator {
  /// Case names the enum's own members use.
  static let reservedNames: Set<String> = ["thriftType", "hashValue", "encode", "encoded"]

  let context: CodegenContext
  let definition: ThriftStructDefinition

  func render(into out: inout SwiftCodeWriter) {
    let name = context.qualified(definition.name)
    let typeName = context.swiftName(of: name)
    let cases = context.fieldPlans(definition.fields, kind: .structure, owner: name, in: context.document, reserved: Self.reservedNames)
    let access = context.access
    out.doc(definition.doc)
    let indirect = context.isRecursive(name) ? "indirect " : ""
    out.block("\(access)\(indirect)enum \(typeName): ThriftStruct") { body in
      for field in cases {
        body.doc(field.field.doc)
        body.line("case \(field.escapedName)(\(field.valueType))")
      }
    }
    out.line()
    out.block("extension \(typeName)") { body in
      body.block("\(access)init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError)") { decoder in
        guard !cases.isEmpty else {
          decoder.line("try reader.skip(.struct)")
          decoder.line("throw .invalidUnion(\(SwiftNaming.stringLiteral(definition.name)), fieldCount: 0)")
          return
        }
        decoder.line("var value: \(typeName)?")
        decoder.line("var fieldCount = 0")
        decoder.line("let scope = try reader.readStructBegin()")
        decoder.block("while true") { loop in
          loop.line("let field = try reader.readFieldBegin()")
          loop.line("if field.type == .stop { break }")
          loop.switchBlock("field.id") { switchBody in
            for field in cases {
              switchBody.line("case \(field.field.id) where field.type == \(field.wireType):")
              switchBody.line("  value = .\(field.name)(try \(field.valueType)(from: &reader))")
              switchBody.line("  fieldCount += 1")
            }
            switchBody.line("default:")
            switchBody.line("  try reader.skip(field.type)")
          }
        }
        decoder.line("reader.readStructEnd(scope)")
        decoder.block("guard let value, fieldCount == 1 else") { guardBody in
          guardBody.line("throw .invalidUnion(\(SwiftNaming.stringLiteral(definition.name)), fieldCount: fieldCount)")
        }
        decoder.line("self = value")
      }
      body.line()
      body.block("\(access)func write<Writer: ThriftProtocolWriter>(to writer: inout Writer)") { encoder in
        encoder.line("let scope = writer.writeStructBegin()")
        encoder.switchBlock("self") { switchBody in
          for field in cases {
            switchBody.line("case .\(field.name)(let value):")
            switchBody.line("  writer.writeFieldBegin(\(field.wireType), id: \(field.field.id))")
            switchBody.line("  value.write(to: &writer)")
          }
        }
        encoder.line("writer.writeFieldStop()")
        encoder.line("writer.writeStructEnd(scope)")
      }
    }
  }
}
