/// Choices that shape generated code.
public struct CodegenOptions: Hashable, Sendable {
  /// The access level of generated declarations.
  public enum AccessLevel: String, Hashable, Sendable, CaseIterable {
    case `public`, `package`, `internal`

    /// The modifier to put before a declaration (`""` for internal).
    var modifier: String { self == .internal ? "" : rawValue + " " }
  }

  public var accessLevel: AccessLevel

  public init(accessLevel: AccessLevel = .public) {
    self.accessLevel = accessLevel
  }
}
