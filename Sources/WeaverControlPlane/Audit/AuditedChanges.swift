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
    try await audited(actor, ns.action("save draft"), ns.target, detail: { _ in "\(draft.content.utf8.count) bytes" }) {
      try await config.saveDraft(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, draft)
    }
  }

  func publish(_ ns: Namespace, _ request: PublishRequest) async throws -> ConfigRelease {
    try await audited(request.author, ns.action("publish"), ns.target, detail: Self.detail) {
      try await config.publish(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    }
  }

  func rollback(_ ns: Namespace, _ request: RollbackRequest) async throws -> ConfigRelease {
    try await audited(request.author, ns.action("rollback"), ns.target, detail: Self.detail) {
      try await config.rollback(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    }
  }

  func publishGray(_ ns: Namespace, _ request: GrayPublishRequest) async throws -> GrayRelease {
    try await audited(request.author, ns.action("gray publish"), ns.target, detail: { Self.detail($0.release) }) {
      try await config.publishGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    }
  }

  func promoteGray(_ ns: Namespace, _ request: PublishRequest) async throws -> ConfigRelease {
    try await audited(request.author, ns.action("gray promote"), ns.target, detail: Self.detail) {
      try await config.promoteGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    }
  }

  func abandonGray(_ ns: Namespace, _ request: PublishRequest) async throws -> NamespaceState {
    try await audited(request.author, ns.action("gray abandon"), ns.target, detail: { _ in request.comment ?? "" }) {
      try await config.abandonGray(app: ns.app, cluster: ns.cluster, namespace: ns.namespace, request)
    }
  }

  func setIsolated(service: String, id: String, _ isolated: Bool, actor: String) async throws {
    try await audited(actor, isolated ? "isolate" : "readmit", "\(service)/\(id)", detail: { _ in "" }) {
      try await registry.setIsolated(service: service, id: id, isolated)
    }
  }

  /// Makes `change`, then records it (only once it succeeded) with what `detail` says of
  /// its answer.
  private func audited<Answer>(
    _ actor: String, _ action: String, _ target: String, detail: (Answer) -> String, _ change: () async throws -> Answer
  ) async throws -> Answer {
    let answer = try await change()
    await audit.record(actor, action, target: target, detail: detail(answer))
    return answer
  }

  static func detail(_ release: ConfigRelease) -> String {
    "release \(release.number)" + (release.comment.isEmpty ? "" : ": \(release.comment)")
  }
}
