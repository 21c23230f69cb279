/// Rules for the calls made inside one scope: the highest precedence, above the config
/// center.
///
/// ```swift
/// try await GovernanceCallOptions.with(.init(timeout: .milliseconds(200), maxAttempts: 1)) {
///   try await feed.getFeed(viewer: 1, limit: 10, cursor: nil)
/// }
/// ```
public struct GovernanceCallOptions: Sendable, Hashable {
  /// The whole call's timeout.
  public var timeout: Duration?
  /// Attempts in all (1: no retries).
  public var maxAttempts: Int?
  /// Whether the call is safe to repeat.
  public var idempotent: Bool?

  public init(timeout: Duration? = nil, maxAttempts: Int? = nil, idempotent: Bool? = nil) {
    self.timeout = timeout
    self.maxAttempts = maxAttempts
    self.idempotent = idempotent
  }

  @TaskLocal public static var current: GovernanceCallOptions?

  /// Runs `body` with these options for the calls it makes.
  public static func with<T>(_ options: GovernanceCallOptions, _ body: () async throws -> T) async rethrows -> T {
    try await $current.withValue(options, operation: body)
  }

  /// `rules` with these options applied.
  func applied(to rules: MethodRules) -> MethodRules {
    var rules = rules
    if let timeout { rules.timeout = timeout }
    if let maxAttempts { rules.retry.maxAttempts = max(1, maxAttempts) }
    if let idempotent { rules.retry.idempotent = idempotent }
    return rules
  }
}
