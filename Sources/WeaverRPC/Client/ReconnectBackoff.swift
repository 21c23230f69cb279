import WeaverCore

/// How long a client waits before connecting to an instance again after a connect failed:
/// exponential, jittered, capped (gRPC's connection backoff). While an instance is backing
/// off, calls that would need a new connection to it fail at once with the last connect
/// error instead of each trying (and waiting out their deadlines).
public struct ReconnectBackoff: Sendable, Hashable {
  /// The wait after the first failure.
  public var initial: Duration
  /// Each further failure multiplies the wait by this.
  public var multiplier: Double
  /// The wait never exceeds this.
  public var maximum: Duration
  /// Each wait is moved randomly by up to this share of it (0.2: ±20 %), so clients that
  /// lost the same server do not all come back at once.
  public var jitter: Double

  public init(initial: Duration = .milliseconds(100), multiplier: Double = 2, maximum: Duration = .seconds(5), jitter: Double = 0.2) {
    self.initial = initial
    self.multiplier = multiplier
    self.maximum = maximum
    self.jitter = jitter
  }

  /// The wait after `failures` failures in a row (1 or more), with `random` in 0..<1
  /// choosing the jitter.
  public func delay(afterFailures failures: Int, random: Double) -> Duration {
    var base = initial.seconds
    for _ in 1..<max(1, failures) where base < maximum.seconds { base *= multiplier }
    base = min(base, maximum.seconds)
    let jittered = base * (1 + jitter * (2 * random - 1))
    let microseconds = (min(max(0, jittered), maximum.seconds) * 1e6).rounded()
    return .microseconds(Int64(microseconds))
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}

/// The connect-failure state of one instance's pool: how many connects failed in a row,
/// the last error, and when the next attempt may start. Time is passed in, so the logic is
/// tested without a clock.
struct ConnectBackoffState {
  private(set) var failures = 0
  private(set) var lastError: RPCError?
  private(set) var retryAt: ContinuousClock.Instant?

  /// Whether a connect may start at `now`.
  func mayConnect(at now: ContinuousClock.Instant) -> Bool {
    guard let retryAt else { return true }
    return now >= retryAt
  }

  /// The error for a call that finds the instance backing off at `now`.
  func failFastError(at now: ContinuousClock.Instant) -> RPCError {
    let wait = retryAt.map { now.duration(to: $0) } ?? .zero
    let milliseconds = Int((wait.seconds * 1000).rounded(.up))
    let reason = lastError?.message ?? "the last connect failed"
    return RPCError(lastError?.code ?? .connectFailed, "\(reason) (next attempt in \(milliseconds) ms)")
  }

  mutating func connectFailed(_ error: RPCError, at now: ContinuousClock.Instant, policy: ReconnectBackoff, random: Double) {
    failures += 1
    lastError = error
    retryAt = now.advanced(by: policy.delay(afterFailures: failures, random: random))
  }

  /// The server said it is shutting down (`crrst`): no new connection to it until a backoff
  /// passes, so calls go elsewhere instead of to a listener that is closing. (Repeated
  /// notices while backing off change nothing.)
  mutating func serverDraining(at now: ContinuousClock.Instant, policy: ReconnectBackoff, random: Double) {
    guard mayConnect(at: now) else { return }
    connectFailed(RPCError(.shuttingDown, "the instance is shutting down"), at: now, policy: policy, random: random)
  }

  mutating func connected() {
    self = ConnectBackoffState()
  }
}
