/// A constant checked against its type, with references to other constants followed and
/// enum values looked up: what code generators print.
public indirect enum ThriftResolvedConst: Hashable, Sendable {
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case binary([UInt8])
  /// A UUID in its canonical lower-case 8-4-4-4-12 form.
  case uuid(String)
  /// A value of an enum; `caseName` is nil when the number is not one of the enum's values.
  case enumValue(ThriftQualifiedName, caseName: String?, value: Int32)
  case list([ThriftResolvedConst])
  /// Elements in first-seen order, duplicates removed.
  case set([ThriftResolvedConst])
  /// Entries in first-seen key order; a repeated key keeps its last value.
  case map([Entry])
  /// A struct or exception literal: the fields it sets, in declaration order.
  case structure(ThriftQualifiedName, fields: [FieldValue])
  /// A union literal: the one field it sets.
  case union(ThriftQualifiedName, field: FieldValue)

  public struct Entry: Hashable, Sendable {
    public var key: ThriftResolvedConst
    public var value: ThriftResolvedConst
  }

  public struct FieldValue: Hashable, Sendable {
    public var field: ThriftField
    public var value: ThriftResolvedConst
  }
}
