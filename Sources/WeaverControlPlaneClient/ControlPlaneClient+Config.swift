import WeaverControlPlaneModels

extension ControlPlaneClient {
  /// A config namespace: its format, the release in force, the draft; with `index`, a
  /// blocking query that answers once it changed after that revision or `wait` passed.
  public func namespace(
    app: String, cluster: String = "default", namespace: String, index: Int64? = nil, wait: Duration = .seconds(30)
  ) async throws(ControlPlaneError) -> NamespaceState {
    let path = "/v1/config/\(escape(app))/\(escape(cluster))/\(escape(namespace))"
    guard let index else { return try await send(.GET, path, as: NamespaceState.self) }
    let milliseconds = Int64((wait / .milliseconds(1)).rounded(.up))
    return try await send(.GET, path + "?index=\(index)&wait=\(milliseconds)ms", as: NamespaceState.self, timeout: configuration.requestTimeout + wait)
  }

  /// Saves a draft, then publishes it (for tools and tests; services only read).
  @discardableResult
  public func publish(
    app: String, cluster: String = "default", namespace: String, _ draft: ConfigDraft, author: String, comment: String? = nil
  ) async throws(ControlPlaneError) -> ConfigRelease {
    try await saveDraft(app: app, cluster: cluster, namespace: namespace, draft)
    return try await publishDraft(app: app, cluster: cluster, namespace: namespace, PublishRequest(author: author, comment: comment))
  }
}

extension ControlPlaneClient {
  private func namespacePath(_ app: String, _ cluster: String, _ namespace: String) -> String {
    "/v1/config/\(escape(app))/\(escape(cluster))/\(escape(namespace))"
  }

  /// Saves a namespace's draft.
  @discardableResult
  public func saveDraft(app: String, cluster: String = "default", namespace: String, _ draft: ConfigDraft) async throws(ControlPlaneError) -> NamespaceState {
    try await send(.PUT, namespacePath(app, cluster, namespace), body: draft, as: NamespaceState.self)
  }

  /// Publishes the saved draft.
  public func publishDraft(app: String, cluster: String = "default", namespace: String, _ request: PublishRequest) async throws(ControlPlaneError) -> ConfigRelease {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/publish", body: request, as: ConfigRelease.self)
  }

  /// Every release, newest first.
  public func history(app: String, cluster: String = "default", namespace: String) async throws(ControlPlaneError) -> [ConfigRelease] {
    try await send(.GET, namespacePath(app, cluster, namespace) + "/releases", as: [ConfigRelease].self)
  }

  /// One release.
  public func release(app: String, cluster: String = "default", namespace: String, number: Int) async throws(ControlPlaneError) -> ConfigRelease {
    try await send(.GET, namespacePath(app, cluster, namespace) + "/releases/\(number)", as: ConfigRelease.self)
  }

  /// What changed from release `from` to `to`.
  public func diff(app: String, cluster: String = "default", namespace: String, from: Int, to: Int) async throws(ControlPlaneError) -> ReleaseDiff {
    try await send(.GET, namespacePath(app, cluster, namespace) + "/diff?from=\(from)&to=\(to)", as: ReleaseDiff.self)
  }

  /// A new release with an earlier one's content.
  public func rollback(app: String, cluster: String = "default", namespace: String, _ request: RollbackRequest) async throws(ControlPlaneError) -> ConfigRelease {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/rollback", body: request, as: ConfigRelease.self)
  }
}
