import WeaverThriftIDL

/// What every generator needs while printing one IDL file: the checked program, the file,
/// the Swift names of all definitions, and which fields need indirect storage.
struct CodegenContext {
  let program: ThriftProgram
  /// The key of the document being generated.
  let document: String
  let options: CodegenOptions
  private let recursion: RecursionAnalysis
  private var namesCache: [String: DefinitionNames] = [:]

  init(program: ThriftProgram, document: String, options: CodegenOptions) {
    self.program = program
    self.document = document
    self.options = options
    self.recursion = RecursionAnalysis(program: program)
    for key in program.order {
      if let parsed = program.documents[key] { namesCache[key] = DefinitionNames(document: parsed) }
    }
  }

  var access: String { options.accessLevel.modifier }

  var parsed: ThriftDocument { program.documents[document]! }

  /// The Swift module a document's code lives in, from `namespace swift`, if it declares one.
  func swiftModule(of document: String) -> String? {
    program.documents[document]?.namespace(for: "swift")
  }

  /// Modules to import because included files live in another Swift namespace.
  var importedModules: [String] {
    let own = swiftModule(of: document)
    var modules: Set<String> = []
    for key in program.order where key != document {
      if let module = swiftModule(of: key), module != own { modules.insert(module) }
    }
    return modules.sorted()
  }

  /// The Swift name of a top-level definition, qualified by its module when that differs
  /// from the current file's.
  func swiftName(of name: ThriftQualifiedName) -> String {
    let simple = namesCache[name.document]?.types[name.name] ?? SwiftNaming.typeName(name.name)
    if name.document != document, let module = swiftModule(of: name.document), module != swiftModule(of: document) {
      return module + "." + simple
    }
    return simple
  }

  /// The Swift name of a constant.
  func swiftConstantName(of name: ThriftQualifiedName) -> String {
    namesCache[name.document]?.constants[name.name] ?? SwiftNaming.memberName(name.name)
  }

  func qualified(_ name: String) -> ThriftQualifiedName { ThriftQualifiedName(document: document, name: name) }

  /// Resolves a type written in the current file (the program was checked, so this succeeds).
  func resolve(_ type: ThriftTypeReference, in document: String? = nil) -> ThriftResolvedType {
    do {
      return try program.resolve(type, in: document ?? self.document)
    } catch {
      preconditionFailure("checked program failed to resolve \(type): \(error)")
    }
  }

  /// Resolves a constant written in the current file.
  func resolveConst(_ value: ThriftConstValue, as type: ThriftResolvedType, in document: String? = nil) -> ThriftResolvedConst {
    do {
      return try program.resolveConst(value, as: type, in: document ?? self.document)
    } catch {
      preconditionFailure("checked program failed to resolve a constant: \(error)")
    }
  }

  /// Whether a field of `owner` pointing at `target` closes a cycle of structs, so it must
  /// be stored indirectly.
  func needsIndirection(from owner: ThriftQualifiedName, to target: ThriftResolvedType) -> Bool {
    guard case .structure(let targetName, _) = target.underlying else { return false }
    return recursion.inSameCycle(owner, targetName)
  }

  /// Whether a union takes part in a cycle (and is generated as an `indirect enum`).
  func isRecursive(_ name: ThriftQualifiedName) -> Bool { recursion.isRecursive(name) }
}

/// The Swift names of one document's definitions, unique within it.
struct DefinitionNames {
  var types: [String: String] = [:]
  var constants: [String: String] = [:]

  init(document: ThriftDocument) {
    var typeNames = SwiftNameAllocator()
    var constantNames = SwiftNameAllocator()
    for definition in document.definitions {
      if case .const = definition {
        constants[definition.name] = constantNames.claim(SwiftNaming.memberName(definition.name), fallback: definition.name)
      } else {
        types[definition.name] = typeNames.claim(SwiftNaming.typeName(definition.name), fallback: definition.name + "_")
      }
    }
  }
}
