/// An annotation such as `(cpp.ref = "true", python.immutable)`. A key without a value has
/// the value `"1"`, as in Apache Thrift.
public struct ThriftAnnotation: Hashable, Sendable {
  public var key: String
  public var value: String
  public var location: ThriftSourceLocation

  public init(key: String, value: String, location: ThriftSourceLocation) {
    self.key = key
    self.value = value
    self.location = location
  }
}

extension [ThriftAnnotation] {
  /// The value of the last annotation with this key.
  public func value(for key: String) -> String? { last(where: { $0.key == key })?.value }
}
