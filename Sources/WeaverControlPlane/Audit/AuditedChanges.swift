import WeaverControlPlaneModels

/// Every change the API and the console make, made once here and recorded in the audit
/// log with who made it: the two front ends share one path, so neither can forget to audit.
struct AuditedChanges: Sendable {
  let config: ConfigCenter
  let registry: Registry
  let audit: AuditLog

  /// One namespace, named as the routes take it.
  struct Namespace: Sendable {
    var app: String
    var cluster: String
    var namespace: String

    var target: String { "\(app)/\(cluster)/\(namespace)" }
    /// Rule edits are config changes of the `governance` namespace; the log says so.
    func action(_ verb: String) -> String { namespace == ConfigContent.governanceNamespace ? "rules: \(verb)" : verb }
  }

  func saveDraft(_ ns: Namespace, _ draft: ConfigDraft, actor: String) async throws -> NamespaceState {
    let state = try await config.saveDraft(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, draft)
    await audit.record(actor, ns.action("save draft"), target: ns.target, detail: "\(draft.content.utf8.count) bytes")
    return state
  }

  func publish(_ ns: Namespace, _ request: PublishRequest) async throws -> ConfigRelease {
    let release = try await config.publish(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    await audit.record(request.author, ns.action("publish"), target: ns.target, detail: Self.detail(release))
    return release
  }

  func rollback(_ ns: Namespace, _ request: RollbackRequest) async throws -> ConfigRelease {
    let release = try await config.rollback(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    await audit.record(request.author, ns.action("rollback"), target: ns.target, detail: Self.detail(release))
    return release
  }

  func publishGray(_ ns: Namespace, _ request: GrayPublishRequest) async throws -> GrayRelease {
    let gray = try await config.publishGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    await audit.record(request.author, ns.action("gray publish"), target: ns.target, detail: Self.detail(gray.release))
    return gray
  }

  func promoteGray(_ ns: Namespace, _ request: PublishRequest) async throws -> ConfigRelease {
    let release = try await config.promoteGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    await audit.record(request.author, ns.action("gray promote"), target: ns.target, detail: Self.detail(release))
    return release
  }

  func abandonGray(_ ns: Namespace, _ request: PublishRequest) async throws -> NamespaceState {
    let state = try await config.abandonGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    await audit.record(request.author, ns.action("gray abandon"), target: ns.target, detail: request.comment ?? "")
    return state
  }

  func setIsolated(service: String, id: String, _ isolated: Bool, actor: String) async throws {
    try await registry.setIsolated(service: service, id: id, isolated)
    await audit.record(actor, isolated ? "isolate" : "readmit", target: "\(service)/\(id)")
  }

  static func detail(_ release: ConfigRelease) -> String {
    "release \(release.number)" + (release.comment.isEmpty ? "" : ": \(release.comment)")
  }
}
