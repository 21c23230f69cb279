/// A constant as written in the IDL: in `const` definitions and field defaults.
public indirect enum ThriftConstSyntax: Hashable, Sendable {
  /// Integers, including `true` (1) and `false` (0).
  case int(Int64)
  case double(Double)
  case string(String)
  /// A reference to a constant or an enum value (`Numberz.ONE`, `shared.MAX`).
  case identifier(String)
  case list([ThriftConstValue])
  case map([ThriftConstMapEntry])
}

/// A constant with its location.
public struct ThriftConstValue: Hashable, Sendable {
  public var syntax: ThriftConstSyntax
  public var location: ThriftSourceLocation

  public init(_ syntax: ThriftConstSyntax, location: ThriftSourceLocation) {
    self.syntax = syntax
    self.location = location
  }
}

/// One `key: value` entry of a map or struct literal.
public struct ThriftConstMapEntry: Hashable, Sendable {
  public var key: ThriftConstValue
  public var value: ThriftConstValue

  public init(key: ThriftConstValue, value: ThriftConstValue) {
    self.key = key
    self.value = value
  }
}
