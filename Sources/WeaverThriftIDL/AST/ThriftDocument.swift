/// `include "path.thrift"`.
public struct ThriftInclude: Hashable, Sendable {
  /// The path as written.
  public var path: String
  public var location: ThriftSourceLocation

  public init(path: String, location: ThriftSourceLocation) {
    self.path = path
    self.location = location
  }

  /// The name other definitions use to refer into the included file: its file name
  /// without directory and extension (`include "a/shared.thrift"` → `shared`).
  public var prefix: String {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = file.lastIndex(of: ".") else { return file }
    return String(file[..<dot])
  }
}

/// `namespace <scope> <name>`; the scope is a language (`swift`, `py.twisted`) or `*`.
public struct ThriftNamespace: Hashable, Sendable {
  public var scope: String
  public var name: String
  public var annotations: [ThriftAnnotation]
  public var location: ThriftSourceLocation

  public init(scope: String, name: String, annotations: [ThriftAnnotation] = [], location: ThriftSourceLocation) {
    self.scope = scope
    self.name = name
    self.annotations = annotations
    self.location = location
  }
}

/// One parsed IDL file.
public struct ThriftDocument: Hashable, Sendable {
  /// The path the file was read from, as given to the parser.
  public var path: String
  public var includes: [ThriftInclude]
  public var cppIncludes: [String]
  public var namespaces: [ThriftNamespace]
  public var definitions: [ThriftDefinition]
  /// The doc comment at the top of the file, if it documents the file rather than its first definition.
  public var doc: String?

  public init(path: String, includes: [ThriftInclude] = [], cppIncludes: [String] = [], namespaces: [ThriftNamespace] = [], definitions: [ThriftDefinition] = [], doc: String? = nil) {
    self.path = path
    self.includes = includes
    self.cppIncludes = cppIncludes
    self.namespaces = namespaces
    self.definitions = definitions
    self.doc = doc
  }

  /// The namespace declared for exactly this scope (`namespace swift X` for `"swift"`).
  /// `namespace *` is not consulted: its dotted names rarely suit a given language.
  public func namespace(for scope: String) -> String? {
    namespaces.last(where: { $0.scope == scope })?.name
  }

  /// The file name without directory and extension: how includers refer to this file.
  public var prefix: String { ThriftInclude(path: path, location: ThriftSourceLocation(file: path, line: 0, column: 0)).prefix }
}
