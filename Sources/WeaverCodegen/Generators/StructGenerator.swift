import WeaverThriftIDL

/// Prints structs, exceptions and the args/result structs of service methods: a value type
/// with its properties, a memberwise initializer, and `ThriftStruct` coding.
struct StructGenerator {
  enum Role {
    case structure
    case exception
    case arguments
    /// `returnField` is the plan of field 0 (nil for void), `exceptions` the declared ones.
    case result(methodName: String, returnField: FieldPlan?, exceptions: [FieldPlan])
  }

  let context: CodegenContext
  let typeName: String
  /// The name used in error messages (the IDL name).
  let thriftName: String
  let role: Role
  let fields: [FieldPlan]
  let doc: String?

  /// Locals the generated decoder uses; fields with these names get another local.
  private static let codingNames: Set<String> = ["reader", "field", "scope"]

  /// The declaration and its coding extension, for top-level types.
  func render(into out: inout SwiftCodeWriter) {
    renderDeclaration(into: &out)
    out.line()
    renderCoding(extending: typeName, into: &out)
  }

  /// The struct with its properties and initializers.
  func renderDeclaration(into out: inout SwiftCodeWriter) {
    let access = context.access
    out.doc(doc)
    let conformances: String
    switch role {
    case .structure, .arguments: conformances = "ThriftStruct"
    case .exception: conformances = "ThriftStruct, Error"
    case .result: conformances = "ThriftMethodResult"
    }
    out.block("\(access)struct \(typeName): \(conformances)") { body in
      for field in fields {
        body.doc(field.field.doc)
        if let storage = field.indirectStorage {
          body.block("\(access)var \(field.escapedName): \(field.propertyType)") { accessor in
            accessor.line("get { \(storage).value }")
            accessor.line("set { \(storage) = ThriftIndirect(newValue) }")
          }
          body.line("private var \(storage): ThriftIndirect<\(field.propertyType)>")
        } else {
          body.line("\(access)var \(field.escapedName): \(field.propertyType)")
        }
      }
      if !fields.isEmpty { body.line() }
      if case .result(_, let returnField, let exceptions) = role {
        renderResultInitializers(returnField: returnField, exceptions: exceptions, into: &body)
      } else {
        renderMemberwiseInit(into: &body)
      }
    }
  }

  /// `extension <qualifiedName> { init(from:) write(to:) [get()] }`, at file scope.
  func renderCoding(extending qualifiedName: String, into out: inout SwiftCodeWriter) {
    out.block("extension \(qualifiedName)") { body in
      renderDecoder(into: &body)
      body.line()
      renderEncoder(into: &body)
      if case .result(let methodName, let returnField, let exceptions) = role {
        body.line()
        renderGet(methodName: methodName, returnField: returnField, exceptions: exceptions, into: &body)
      }
    }
  }

  private func renderMemberwiseInit(into out: inout SwiftCodeWriter) {
    let parameters = fields.map { field in
      "\(field.escapedName): \(field.propertyType)" + (field.defaultValue.map { " = \($0)" } ?? "")
    }
    out.block("\(context.access)init(\(parameters.joined(separator: ", ")))") { body in
      for field in fields { body.line(assignment(field, from: field.escapedName)) }
    }
  }

  private func assignment(_ field: FieldPlan, from value: String) -> String {
    if let storage = field.indirectStorage { return "self.\(storage) = ThriftIndirect(\(value))" }
    return "self.\(field.name) = \(value)"
  }

  private func renderResultInitializers(returnField: FieldPlan?, exceptions: [FieldPlan], into out: inout SwiftCodeWriter) {
    let access = context.access
    if let returnField {
      out.block("\(access)init(success: \(returnField.valueType))") { body in
        body.line("self.\(returnField.name) = success")
      }
    } else {
      out.line("\(access)init(success: Void) {}")
    }
    out.line()
    out.block("\(access)init?(declaredError error: any Error)") { body in
      guard !exceptions.isEmpty else {
        body.line("return nil")
        return
      }
      body.switchBlock("error") { cases in
        for exception in exceptions {
          cases.line("case let error as \(exception.valueType):")
          cases.line("  self.\(exception.name) = error")
        }
        cases.line("default:")
        cases.line("  return nil")
      }
    }
  }

  private func renderGet(methodName: String, returnField: FieldPlan?, exceptions: [FieldPlan], into out: inout SwiftCodeWriter) {
    let returns = returnField.map { " -> \($0.valueType)" } ?? ""
    out.doc("The method's return value, or the declared exception it threw.")
    out.block("\(context.access)func get() throws\(returns)") { body in
      for exception in exceptions {
        body.line("if let error = self.\(exception.name) { throw error }")
      }
      if let returnField {
        body.block("guard let success = self.\(returnField.name) else") { guardBody in
          guardBody.line("throw TApplicationException(.missingResult, \(SwiftNaming.stringLiteral("\(methodName) failed: unknown result")))")
        }
        body.line("return success")
      }
    }
  }

  /// The local variable that collects a field while decoding.
  private func localName(_ field: FieldPlan) -> String {
    Self.codingNames.contains(field.name) ? field.name + "_" : field.name
  }

  private func renderDecoder(into out: inout SwiftCodeWriter) {
    out.block("\(context.access)init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError)") { body in
      for field in fields {
        let local = SwiftNaming.escaped(localName(field))
        if let initial = field.initialValue {
          body.line("var \(local): \(field.propertyType) = \(initial)")
        } else {
          body.line("var \(local): \(field.valueType)?")
        }
      }
      body.line("let scope = try reader.readStructBegin()")
      body.block("while true") { loop in
        loop.line("let field = try reader.readFieldBegin()")
        loop.line("if field.type == .stop { break }")
        loop.switchBlock("field.id") { cases in
          for field in fields {
            cases.line("case \(field.field.id) where field.type == \(field.wireType):")
            cases.line("  \(SwiftNaming.escaped(localName(field))) = try \(field.valueType)(from: &reader)")
          }
          cases.line("default:")
          cases.line("  try reader.skip(field.type)")
        }
      }
      body.line("reader.readStructEnd(scope)")
      for field in fields where field.initialValue == nil {
        let local = SwiftNaming.escaped(localName(field))
        body.block("guard let \(local) = \(local) else") { guardBody in
          guardBody.line("throw .missingRequiredField(\(SwiftNaming.stringLiteral(field.field.name)), in: \(SwiftNaming.stringLiteral(thriftName)))")
        }
      }
      if case .result = role {
        for field in fields { body.line("self.\(field.name) = \(SwiftNaming.escaped(localName(field)))") }
      } else {
        let arguments = fields.map { "\($0.label): \(SwiftNaming.escaped(localName($0)))" }
        body.line("self.init(\(arguments.joined(separator: ", ")))")
      }
    }
  }

  private func renderEncoder(into out: inout SwiftCodeWriter) {
    out.block("\(context.access)func write<Writer: ThriftProtocolWriter>(to writer: inout Writer)") { body in
      body.line("let scope = writer.writeStructBegin()")
      // Apache Thrift writes fields in id order; so do we, for byte-identical output.
      for field in fields.sorted(by: { $0.field.id < $1.field.id }) {
        body.line("writer.writeField(id: \(field.field.id), self.\(field.name))")
      }
      body.line("writer.writeFieldStop()")
      body.line("writer.writeStructEnd(scope)")
    }
  }
}
