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
    let path = "/v1/config/\(escape(app))/\(escape(cluster))/\(escape(namespace))"
    _ = try await send(.PUT, path, body: draft, as: NamespaceState.self)
    return try await send(.POST, path + "/publish", body: PublishRequest(author: author, comment: comment), as: ConfigRelease.self)
  }
}
