/// One change made through the control plane (`GET /v1/audit`): who, what, on what, when.
public struct AuditEntry: Codable, Sendable, Hashable {
  /// When (ISO 8601, UTC, milliseconds).
  public var time: String
  /// Who: a release's author, or the name the console user signed in with.
  public var actor: String
  /// `publish`, `rollback`, `gray publish`, `gray promote`, `gray abandon`, `save draft`,
  /// `isolate`, `readmit`; rule edits are these on a `governance` namespace.
  public var action: String
  /// What it was done to: `app/cluster/namespace` or `service/instance`.
  public var target: String
  /// The release number and comment, where there is one.
  public var detail: String

  public init(time: String, actor: String, action: String, target: String, detail: String = "") {
    self.time = time
    self.actor = actor
    self.action = action
    self.target = target
    self.detail = detail
  }
}
