/// The built-in scalar types of the IDL.
public enum ThriftBaseType: String, Hashable, Sendable, CaseIterable {
  case bool, i8, i16, i32, i64, double, string, binary, uuid
}

/// A type as written in the IDL, before names are resolved.
public indirect enum ThriftTypeSyntax: Hashable, Sendable {
  case base(ThriftBaseType)
  case list(ThriftTypeReference)
  case set(ThriftTypeReference)
  case map(key: ThriftTypeReference, value: ThriftTypeReference)
  /// A typedef, enum, struct, union or exception, possibly qualified by an include
  /// (`shared.SharedStruct`).
  case named(String)
}

/// A type as written in the IDL, with its annotations and location.
public struct ThriftTypeReference: Hashable, Sendable {
  public var syntax: ThriftTypeSyntax
  public var annotations: [ThriftAnnotation]
  /// `cpp_type "..."` on a container, kept for completeness.
  public var cppType: String?
  public var location: ThriftSourceLocation

  public init(_ syntax: ThriftTypeSyntax, annotations: [ThriftAnnotation] = [], cppType: String? = nil, location: ThriftSourceLocation) {
    self.syntax = syntax
    self.annotations = annotations
    self.cppType = cppType
    self.location = location
  }
}

extension ThriftTypeReference: CustomStringConvertible {
  /// The type as the IDL spells it, e.g. `map<string,list<i32>>`.
  public var description: String {
    switch syntax {
    case .base(let base): return base.rawValue
    case .list(let element): return "list<\(element)>"
    case .set(let element): return "set<\(element)>"
    case .map(let key, let value): return "map<\(key),\(value)>"
    case .named(let name): return name
    }
  }
}
