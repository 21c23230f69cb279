import WeaverControlPlaneModels

extension ControlPlaneClient {
  /// A config namespace: its format, the release in force, the gray release, the draft;
  /// with `index`, a blocking query that answers once it changed after that revision or
  /// `wait` passed. Naming the `client` makes a gray release whose rule selects it the
  /// one in force.
  public func namespace(
    app: String, cluster: String = "default", namespace: String, client: ConfigClient? = nil, index: Int64? = nil, wait: Duration = .seconds(30)
  ) async throws(ControlPlaneError) -> NamespaceState {
    var query = client?.queryItems ?? []
    var timeout = configuration.requestTimeout
    if let index {
      let milliseconds = Int64((wait / .milliseconds(1)).rounded(.up))
      query += [("index", String(index)), ("wait", "\(milliseconds)ms")]
      timeout += wait
    }
    let path = namespacePath(app, cluster, namespace) + (query.isEmpty ? "" : "?" + query.map { "\($0)=\(escape($1))" }.joined(separator: "&"))
    return try await send(.GET, path, as: NamespaceState.self, timeout: timeout)
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
  func namespacePath(_ app: String, _ cluster: String, _ namespace: String) -> String {
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

  /// Publishes the saved draft as the gray release for the clients `request.rule` selects.
  public func publishGray(app: String, cluster: String = "default", namespace: String, _ request: GrayPublishRequest) async throws(ControlPlaneError) -> GrayRelease {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/gray", body: request, as: GrayRelease.self)
  }

  /// Makes the gray release the main one, for everyone.
  public func promoteGray(app: String, cluster: String = "default", namespace: String, _ request: PublishRequest) async throws(ControlPlaneError) -> ConfigRelease {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/gray/promote", body: request, as: ConfigRelease.self)
  }

  /// Ends the gray release: its clients go back to the main release.
  @discardableResult
  public func abandonGray(app: String, cluster: String = "default", namespace: String, _ request: PublishRequest) async throws(ControlPlaneError) -> NamespaceState {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/gray/abandon", body: request, as: NamespaceState.self)
  }

  /// A new release with an earlier one's content.
  public func rollback(app: String, cluster: String = "default", namespace: String, _ request: RollbackRequest) async throws(ControlPlaneError) -> ConfigRelease {
    try await send(.POST, namespacePath(app, cluster, namespace) + "/rollback", body: request, as: ConfigRelease.self)
  }
}
