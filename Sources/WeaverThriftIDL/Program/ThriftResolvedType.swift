/// A definition's name together with the file that defines it.
public struct ThriftQualifiedName: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The normalized path of the defining file, a key of ``ThriftProgram/documents``.
  public var document: String
  public var name: String

  public init(document: String, name: String) {
    self.document = document
    self.name = name
  }

  public var description: String { name }

  public static func < (lhs: Self, rhs: Self) -> Bool {
    (lhs.document, lhs.name) < (rhs.document, rhs.name)
  }
}

/// A field type with every name resolved to its definition.
public indirect enum ThriftResolvedType: Hashable, Sendable {
  case base(ThriftBaseType)
  case list(ThriftResolvedType)
  case set(ThriftResolvedType)
  case map(key: ThriftResolvedType, value: ThriftResolvedType)
  /// A typedef, kept so generated code can use the alias; `target` is what it names.
  case typedef(ThriftQualifiedName, target: ThriftResolvedType)
  case enumeration(ThriftQualifiedName)
  case structure(ThriftQualifiedName, kind: ThriftStructDefinition.Kind)

  /// The type with typedefs at the top removed.
  public var underlying: ThriftResolvedType {
    if case .typedef(_, let target) = self { return target.underlying }
    return self
  }

  /// True for structs, unions and exceptions (after typedefs).
  public var isStructure: Bool {
    if case .structure = underlying { return true }
    return false
  }
}
