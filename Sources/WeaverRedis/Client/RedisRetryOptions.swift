/// When a command is tried again, and how long is waited first (go-redis's `MaxRetries`,
/// `MinRetryBackoff`, `MaxRetryBackoff`, with the same defaults).
public struct RedisRetryOptions: Sendable, Hashable {
  /// Tries after the first; 0 turns retries off.
  public var maxRetries: Int = 3
  public var minBackoff: Duration = .milliseconds(8)
  public var maxBackoff: Duration = .milliseconds(512)

  public init() {}

  /// The wait before retry `retry` (0 is the first retry): random in
  /// `[minBackoff, minBackoff + minBackoff·2^retry)`, never above `maxBackoff`.
  public func backoff(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
    let base = max(1, minBackoff.redisNanoseconds)
    let ceiling = max(1, maxBackoff.redisNanoseconds)
    let span = retry >= 40 ? ceiling : min(ceiling, base << Int64(max(0, retry)))
    let delay = base + Int64.random(in: 0..<max(1, span), using: &generator)
    return .nanoseconds(min(delay, ceiling))
  }

  /// Why `error` may be retried for `command`, as a metric label; nil when it may not.
  /// Error replies that mean "not run, try later" always may; a broken connection may for
  /// commands that are safe to run twice; a node never reached always may.
  static func retryReason(_ error: RedisError, command: RedisCommand) -> String? {
    switch error {
    case .server(let reply) where reply.isRetryable: return reply.code.lowercased()
    case .connectFailed: return "connect_failed"
    case .connectionClosed, .timeout: return command.isIdempotent ? "connection" : nil
    default: return nil
    }
  }
}
