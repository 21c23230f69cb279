import WeaverThriftIDL

/// Finds top-level Swift names that two IDL files would both declare in one Swift module
/// (both in the same `namespace swift`, or both without one): the Swift compiler would
/// report each use of such a name, the generator reports the pair once.
///
/// Within one file the names are already unique (``DefinitionNames``); types and constants
/// are checked apart, as they cannot collide (UpperCamelCase against lowerCamelCase).
struct ModuleNameCheck {
  let program: ThriftProgram

  func diagnostics() -> [ThriftIDLDiagnostic] {
    struct Key: Hashable {
      var module: String?
      var isConstant: Bool
      var swiftName: String
    }
    var claimed: [Key: ThriftDefinition] = [:]
    var diagnostics: [ThriftIDLDiagnostic] = []
    for key in program.order {
      guard let document = program.documents[key] else { continue }
      let module = document.namespace(for: "swift")
      let names = DefinitionNames(document: document)
      for definition in document.definitions {
        let isConstant: Bool
        if case .const = definition { isConstant = true } else { isConstant = false }
        guard let swiftName = isConstant ? names.constants[definition.name] : names.types[definition.name] else { continue }
        let claim = Key(module: module, isConstant: isConstant, swiftName: swiftName)
        guard let first = claimed[claim] else {
          claimed[claim] = definition
          continue
        }
        let what = isConstant ? "constant" : "type"
        let message =
          first.name == definition.name
          ? "'\(definition.name)' is also defined at \(first.location); both would generate the Swift \(what) '\(swiftName)'"
          : "'\(definition.name)' and '\(first.name)' (at \(first.location)) would both generate the Swift \(what) '\(swiftName)'"
        diagnostics.append(.error(at: definition.location, message))
      }
    }
    return diagnostics
  }
}
