/// Heap storage for a field whose type contains the struct holding it (`struct Node { 1:
/// optional Node next }`). Generated code keeps such fields in one of these behind an
/// ordinary property; it compares and hashes by value.
public final class ThriftIndirect<Value: Hashable & Sendable>: Hashable, Sendable {
  public let value: Value

  @inlinable
  public init(_ value: Value) {
    self.value = value
  }

  @inlinable
  public static func == (lhs: ThriftIndirect, rhs: ThriftIndirect) -> Bool {
    lhs === rhs || lhs.value == rhs.value
  }

  @inlinable
  public func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
}
