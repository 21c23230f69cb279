/// Every IDL file reachable from a root file through `include`, parsed and checked, with the
/// lookups code generators need.
///
/// Make one with ``ThriftIDLLoader``; it has passed every semantic check, so its lookups
/// succeed for every name its documents use.
public struct ThriftProgram: Sendable {
  /// Parsed files by normalized path.
  public let documents: [String: ThriftDocument]
  /// The root files' paths, as normalized keys of ``documents``.
  public let roots: [String]
  /// Paths in dependency order: a file comes after every file it includes.
  public let order: [String]
  /// For each file, its include prefixes and the paths they name.
  public let includes: [String: [String: String]]
  /// Warnings from parsing and checking.
  public internal(set) var warnings: [ThriftIDLDiagnostic]

  init(documents: [String: ThriftDocument], roots: [String], order: [String], includes: [String: [String: String]], warnings: [ThriftIDLDiagnostic]) {
    self.documents = documents
    self.roots = roots
    self.order = order
    self.includes = includes
    self.warnings = warnings
  }

  /// The first root file.
  public var root: ThriftDocument { documents[roots[0]]! }

  /// The definition a qualified name refers to.
  public func definition(_ name: ThriftQualifiedName) -> ThriftDefinition? {
    documents[name.document]?.definitions.first(where: { $0.name == name.name })
  }

  public func structDefinition(_ name: ThriftQualifiedName) -> ThriftStructDefinition? {
    if case .struct(let definition) = definition(name) { return definition }
    return nil
  }

  public func enumDefinition(_ name: ThriftQualifiedName) -> ThriftEnumDefinition? {
    if case .enum(let definition) = definition(name) { return definition }
    return nil
  }

  public func serviceDefinition(_ name: ThriftQualifiedName) -> ThriftServiceDefinition? {
    if case .service(let definition) = definition(name) { return definition }
    return nil
  }

  /// Finds what a possibly qualified name (`Local`, `prefix.Name`) refers to from `document`.
  public func lookup(_ name: String, from document: String) -> ThriftQualifiedName? {
    if let local = documents[document]?.definitions.first(where: { $0.name == name }) {
      return ThriftQualifiedName(document: document, name: local.name)
    }
    guard let dot = name.firstIndex(of: ".") else { return nil }
    let prefix = String(name[..<dot])
    let rest = String(name[name.index(after: dot)...])
    guard let target = includes[document]?[prefix], !rest.contains("."),
      documents[target]?.definitions.contains(where: { $0.name == rest }) == true
    else { return nil }
    return ThriftQualifiedName(document: target, name: rest)
  }

  /// The parent of a service, if it extends one.
  public func parent(of service: ThriftQualifiedName) -> ThriftQualifiedName? {
    guard let extends = serviceDefinition(service)?.extends else { return nil }
    return lookup(extends, from: service.document)
  }

  /// The functions a service offers, its ancestors' first, each with the service that declares it.
  public func allFunctions(of service: ThriftQualifiedName) -> [(service: ThriftQualifiedName, function: ThriftFunction)] {
    var chain: [ThriftQualifiedName] = []
    var next: ThriftQualifiedName? = service
    while let current = next, !chain.contains(current) {
      chain.insert(current, at: 0)
      next = parent(of: current)
    }
    return chain.flatMap { owner in (serviceDefinition(owner)?.functions ?? []).map { (owner, $0) } }
  }

  // MARK: Types

  /// Resolves a type as written in `document`.
  public func resolve(_ type: ThriftTypeReference, in document: String) throws(ThriftIDLError) -> ThriftResolvedType {
    var visiting: Set<ThriftQualifiedName> = []
    return try resolve(type, in: document, visiting: &visiting)
  }

  private func resolve(_ type: ThriftTypeReference, in document: String, visiting: inout Set<ThriftQualifiedName>) throws(ThriftIDLError) -> ThriftResolvedType {
    switch type.syntax {
    case .base(let base): return .base(base)
    case .list(let element): return .list(try resolve(element, in: document, visiting: &visiting))
    case .set(let element): return .set(try resolve(element, in: document, visiting: &visiting))
    case .map(let key, let value):
      return .map(key: try resolve(key, in: document, visiting: &visiting), value: try resolve(value, in: document, visiting: &visiting))
    case .named(let name):
      guard let qualified = lookup(name, from: document), let definition = definition(qualified) else {
        throw ThriftIDLError(at: type.location, unknownTypeMessage(name, from: document))
      }
      switch definition {
      case .typedef(let typedef):
        guard visiting.insert(qualified).inserted else {
          throw ThriftIDLError(at: type.location, "typedef '\(name)' refers to itself")
        }
        defer { visiting.remove(qualified) }
        return .typedef(qualified, target: try resolve(typedef.type, in: qualified.document, visiting: &visiting))
      case .enum: return .enumeration(qualified)
      case .struct(let structure): return .structure(qualified, kind: structure.kind)
      case .service: throw ThriftIDLError(at: type.location, "'\(name)' is a service, not a type")
      case .const: throw ThriftIDLError(at: type.location, "'\(name)' is a constant, not a type")
      }
    }
  }

  func unknownTypeMessage(_ name: String, from document: String) -> String {
    if let dot = name.firstIndex(of: "."), includes[document]?[String(name[..<dot])] == nil {
      return "unknown type '\(name)': no include is named '\(name[..<dot])'"
    }
    return "unknown type '\(name)'"
  }
}
