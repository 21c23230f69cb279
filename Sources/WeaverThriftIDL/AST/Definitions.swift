/// How a field must be present on the wire.
public enum ThriftRequiredness: String, Hashable, Sendable {
  /// Always written; a reader fails if it is missing.
  case required
  /// Written only when set.
  case optional
  /// No keyword: written always, tolerated when missing ("opt-in, req-out").
  case `default`
}

/// A field of a struct, union or exception, an argument of a function, or a `throws` entry.
public struct ThriftField: Hashable, Sendable {
  public var id: Int16
  /// The id was not written and was assigned (negative, counting down from -1) as Apache does.
  public var idIsImplicit: Bool
  public var requiredness: ThriftRequiredness
  public var type: ThriftTypeReference
  public var name: String
  public var defaultValue: ThriftConstValue?
  /// `&` before the name (a C++ reference); accepted and kept.
  public var isReference: Bool
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(
    id: Int16, idIsImplicit: Bool = false, requiredness: ThriftRequiredness = .default, type: ThriftTypeReference,
    name: String, defaultValue: ThriftConstValue? = nil, isReference: Bool = false,
    annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation
  ) {
    self.id = id
    self.idIsImplicit = idIsImplicit
    self.requiredness = requiredness
    self.type = type
    self.name = name
    self.defaultValue = defaultValue
    self.isReference = isReference
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

/// `struct`, `union` or `exception`: the three share one shape.
public struct ThriftStructDefinition: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    case `struct`, union, exception
  }

  public var kind: Kind
  public var name: String
  public var fields: [ThriftField]
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(kind: Kind, name: String, fields: [ThriftField], annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation) {
    self.kind = kind
    self.name = name
    self.fields = fields
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

/// One value of an enum.
public struct ThriftEnumValue: Hashable, Sendable {
  public var name: String
  public var value: Int32
  public var valueIsImplicit: Bool
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(name: String, value: Int32, valueIsImplicit: Bool = false, annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation) {
    self.name = name
    self.value = value
    self.valueIsImplicit = valueIsImplicit
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

public struct ThriftEnumDefinition: Hashable, Sendable {
  public var name: String
  public var values: [ThriftEnumValue]
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(name: String, values: [ThriftEnumValue], annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation) {
    self.name = name
    self.values = values
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

public struct ThriftTypedefDefinition: Hashable, Sendable {
  public var name: String
  public var type: ThriftTypeReference
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(name: String, type: ThriftTypeReference, annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation) {
    self.name = name
    self.type = type
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

public struct ThriftConstDefinition: Hashable, Sendable {
  public var name: String
  public var type: ThriftTypeReference
  public var value: ThriftConstValue
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(name: String, type: ThriftTypeReference, value: ThriftConstValue, doc: String? = nil, location: ThriftSourceLocation) {
    self.name = name
    self.type = type
    self.value = value
    self.doc = doc
    self.location = location
  }
}

/// A method of a service.
public struct ThriftFunction: Hashable, Sendable {
  public var name: String
  /// `nil` for `void`.
  public var returnType: ThriftTypeReference?
  public var isOneway: Bool
  public var arguments: [ThriftField]
  public var exceptions: [ThriftField]
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(
    name: String, returnType: ThriftTypeReference?, isOneway: Bool = false, arguments: [ThriftField] = [],
    exceptions: [ThriftField] = [], annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation
  ) {
    self.name = name
    self.returnType = returnType
    self.isOneway = isOneway
    self.arguments = arguments
    self.exceptions = exceptions
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

public struct ThriftServiceDefinition: Hashable, Sendable {
  public var name: String
  /// The parent service, possibly qualified by an include.
  public var extends: String?
  public var extendsLocation: ThriftSourceLocation?
  public var functions: [ThriftFunction]
  public var annotations: [ThriftAnnotation]
  public var doc: String?
  public var location: ThriftSourceLocation

  public init(
    name: String, extends: String? = nil, extendsLocation: ThriftSourceLocation? = nil, functions: [ThriftFunction],
    annotations: [ThriftAnnotation] = [], doc: String? = nil, location: ThriftSourceLocation
  ) {
    self.name = name
    self.extends = extends
    self.extendsLocation = extendsLocation
    self.functions = functions
    self.annotations = annotations
    self.doc = doc
    self.location = location
  }
}

/// A top-level definition of an IDL file.
public enum ThriftDefinition: Hashable, Sendable {
  case const(ThriftConstDefinition)
  case typedef(ThriftTypedefDefinition)
  case `enum`(ThriftEnumDefinition)
  case `struct`(ThriftStructDefinition)
  case service(ThriftServiceDefinition)

  public var name: String {
    switch self {
    case .const(let d): return d.name
    case .typedef(let d): return d.name
    case .enum(let d): return d.name
    case .struct(let d): return d.name
    case .service(let d): return d.name
    }
  }

  public var location: ThriftSourceLocation {
    switch self {
    case .const(let d): return d.location
    case .typedef(let d): return d.location
    case .enum(let d): return d.location
    case .struct(let d): return d.location
    case .service(let d): return d.location
    }
  }
}
