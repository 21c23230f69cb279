/// The checks that follow parsing: every name resolves, nothing is defined twice, constants
/// and defaults fit their types, and services form no cycles. It reports everything it finds.
final class ThriftSemanticChecker {
  let program: ThriftProgram
  private var diagnostics: [ThriftIDLDiagnostic] = []

  init(program: ThriftProgram) {
    self.program = program
  }

  func check() -> [ThriftIDLDiagnostic] {
    for key in program.order {
      check(document: key)
    }
    return diagnostics.sorted { ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column) }
  }

  private func error(_ location: ThriftSourceLocation, _ message: String) {
    diagnostics.append(.error(at: location, message))
  }

  private func warning(_ location: ThriftSourceLocation, _ message: String) {
    diagnostics.append(.warning(at: location, message))
  }

  /// Runs `body`, turning a thrown error into diagnostics.
  private func collect<T>(_ body: () throws(ThriftIDLError) -> T) -> T? {
    do {
      return try body()
    } catch {
      diagnostics += error.diagnostics
      return nil
    }
  }

  private func check(document key: String) {
    guard let document = program.documents[key] else { return }
    var seen: [String: ThriftSourceLocation] = [:]
    for definition in document.definitions {
      if let first = seen[definition.name] {
        error(definition.location, "'\(definition.name)' is already defined at \(first)")
      } else {
        seen[definition.name] = definition.location
      }
    }
    for definition in document.definitions {
      switch definition {
      case .typedef(let typedef):
        _ = collect { () throws(ThriftIDLError) in try program.resolve(typedef.type, in: key) }
      case .const(let constant):
        if let type = collect({ () throws(ThriftIDLError) in try program.resolve(constant.type, in: key) }) {
          _ = collect { () throws(ThriftIDLError) in try program.resolveConst(constant.value, as: type, in: key) }
        }
      case .enum(let enumeration):
        check(enumeration)
      case .struct(let structure):
        check(structure, in: key)
      case .service(let service):
        check(service, in: key)
      }
    }
  }

  private func check(_ enumeration: ThriftEnumDefinition) {
    var names: [String: ThriftSourceLocation] = [:]
    for value in enumeration.values {
      if let first = names[value.name] {
        error(value.location, "enum \(enumeration.name) already has a value named '\(value.name)' (at \(first))")
      }
      names[value.name] = value.location
    }
  }

  private func check(_ structure: ThriftStructDefinition, in key: String) {
    checkFields(structure.fields, owner: "\(structure.kind.rawValue) \(structure.name)", in: key)
    guard structure.kind == .union else { return }
    var defaults = 0
    for field in structure.fields {
      if field.requiredness == .required {
        warning(field.location, "union \(structure.name) field '\(field.name)': union members are always optional; 'required' is ignored")
      }
      if field.defaultValue != nil {
        defaults += 1
        if defaults > 1 { error(field.location, "union \(structure.name) may give a default value to one field only") }
      }
    }
  }

  /// Unique names and ids, types that resolve, defaults that fit.
  private func checkFields(_ fields: [ThriftField], owner: String, in key: String) {
    var names: [String: ThriftSourceLocation] = [:]
    var ids: [Int16: String] = [:]
    for field in fields {
      if let first = names[field.name] {
        error(field.location, "\(owner) already has a field named '\(field.name)' (at \(first))")
      }
      names[field.name] = field.location
      if let other = ids[field.id] {
        error(field.location, "\(owner): field id \(field.id) of '\(field.name)' is already used by '\(other)'")
      }
      ids[field.id] = field.name
      guard let type = collect({ () throws(ThriftIDLError) in try program.resolve(field.type, in: key) }) else { continue }
      if let value = field.defaultValue {
        _ = collect { () throws(ThriftIDLError) in try program.resolveConst(value, as: type, in: key) }
      }
    }
  }

  private func check(_ service: ThriftServiceDefinition, in key: String) {
    let name = ThriftQualifiedName(document: key, name: service.name)
    var inherited: [String: String] = [:]
    if let extends = service.extends {
      let location = service.extendsLocation ?? service.location
      guard let parent = program.lookup(extends, from: key), program.serviceDefinition(parent) != nil else {
        if program.lookup(extends, from: key) != nil {
          error(location, "service \(service.name) extends '\(extends)', which is not a service")
        } else {
          error(location, "service \(service.name) extends unknown service '\(extends)'")
        }
        return checkFunctions(service, inherited: [:], in: key)
      }
      var chain = [name]
      var next: ThriftQualifiedName? = parent
      while let current = next {
        if chain.contains(current) {
          error(location, "service \(service.name) extends itself through \((chain + [current]).map(\.name).joined(separator: " -> "))")
          return checkFunctions(service, inherited: [:], in: key)
        }
        chain.append(current)
        for function in program.serviceDefinition(current)?.functions ?? [] { inherited[function.name] = current.name }
        next = program.parent(of: current)
      }
    }
    checkFunctions(service, inherited: inherited, in: key)
  }

  private func checkFunctions(_ service: ThriftServiceDefinition, inherited: [String: String], in key: String) {
    var names: [String: ThriftSourceLocation] = [:]
    for function in service.functions {
      if let first = names[function.name] {
        error(function.location, "service \(service.name) already has a function named '\(function.name)' (at \(first))")
      } else if let parent = inherited[function.name] {
        error(function.location, "function '\(function.name)' is already defined in \(parent), which \(service.name) extends")
      }
      names[function.name] = function.location
      let owner = "function \(service.name).\(function.name)"
      if let returnType = function.returnType {
        _ = collect { () throws(ThriftIDLError) in try program.resolve(returnType, in: key) }
      }
      checkFields(function.arguments, owner: owner, in: key)
      checkFields(function.exceptions, owner: "throws clause of \(owner)", in: key)
      for exception in function.exceptions {
        guard let type = try? program.resolve(exception.type, in: key) else { continue }
        if case .structure(_, .exception) = type.underlying { continue }
        error(exception.type.location, "\(owner) throws '\(exception.type)', which is not an exception")
      }
      if function.isOneway {
        if function.returnType != nil { error(function.location, "oneway \(owner) must return void") }
        if !function.exceptions.isEmpty { error(function.location, "oneway \(owner) cannot throw exceptions") }
      }
    }
  }
}
