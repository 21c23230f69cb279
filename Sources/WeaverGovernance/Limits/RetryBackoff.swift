/// How long to wait before a retry: exponential backoff with full jitter. Before attempt
/// `n ≥ 2` the wait is random in `[0, min(backoffMax, backoffBase · 2ⁿ⁻²))`; the first
/// attempt does not wait.
public enum RetryBackoff {
  /// The upper bound (exclusive) of the wait before attempt `attempt` (1 is the first call).
  public static func ceiling(beforeAttempt attempt: Int, rules: RetryRules) -> Duration {
    guard attempt >= 2, rules.backoffBase > .zero, rules.backoffMax > .zero else { return .zero }
    var ceiling = rules.backoffBase
    var doublings = attempt - 2
    while doublings > 0 && ceiling < rules.backoffMax {
      ceiling = ceiling * 2
      doublings -= 1
    }
    return min(ceiling, rules.backoffMax)
  }

  /// The wait before attempt `attempt`, drawn from `generator` (a seeded one, such as
  /// ``SplitMix64``, makes it reproducible); whole nanoseconds.
  public static func delay(beforeAttempt attempt: Int, rules: RetryRules, using generator: inout some RandomNumberGenerator) -> Duration {
    let bound = ceiling(beforeAttempt: attempt, rules: rules).wholeNanoseconds
    guard bound > 0 else { return .zero }
    return .nanoseconds(Int64.random(in: 0..<bound, using: &generator))
  }

  /// The wait before attempt `attempt`, from the system's random source.
  public static func delay(beforeAttempt attempt: Int, rules: RetryRules) -> Duration {
    var generator = SystemRandomNumberGenerator()
    return delay(beforeAttempt: attempt, rules: rules, using: &generator)
  }
}
