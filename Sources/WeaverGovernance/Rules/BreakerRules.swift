import WeaverCore

/// How a circuit breaker judges calls: a time-based window of buckets, three ways to trip,
/// an open period that may grow, and half-open probes. Percentages are 0…100.
public struct BreakerRules: Sendable, Hashable {
  /// `automatic` follows the calls; `forcedOpen` rejects every call; `disabled` allows all.
  public enum Mode: String, Sendable, Hashable, CaseIterable {
    case automatic, forcedOpen, disabled
  }

  public var mode: Mode = .automatic
  /// How far back failures are counted.
  public var window: Duration = .seconds(10)
  /// Buckets the window is divided into (old buckets leave the window one at a time).
  public var buckets: Int = 10
  /// Calls the window must hold before a rate can trip the breaker.
  public var minimumRequests: Int = 20
  /// Trip when this share of the window's calls or more failed (at least one).
  public var failureRateThreshold: Double = 50
  /// Trip when this share of the window's calls or more were slow (at least one); nil: off.
  public var slowCallRateThreshold: Double? = nil
  /// A call that takes longer than this is slow.
  public var slowCallDuration: Duration = .seconds(1)
  /// Trip after this many failures in a row (whatever the window holds); nil: off.
  public var consecutiveFailures: Int? = nil
  /// How long the breaker stays open before half-open probes.
  public var openDuration: Duration = .seconds(10)
  /// Each re-open (a probe failed) multiplies the open duration by this, up to
  /// ``maxOpenDuration``; 1 keeps it constant.
  public var openDurationMultiplier: Double = 1
  public var maxOpenDuration: Duration = .seconds(300)
  /// Calls let through at once while half-open.
  public var halfOpenProbes: Int = 1
  /// Successful probes that close the breaker (any failed probe re-opens it).
  public var halfOpenSuccesses: Int = 1
  /// Failure codes that count; other failures and declared business errors count as
  /// neither success nor failure.
  public var countedFailures: Set<RPCError.Code> = [.deadlineExceeded, .connectFailed, .connectionClosed, .serverError]

  public init() {}

  /// The instance-level default: trips on 5 connection failures or timeouts in a row, or on
  /// half the calls failing.
  public static var instanceDefault: BreakerRules {
    var rules = BreakerRules()
    rules.consecutiveFailures = 5
    rules.minimumRequests = 10
    rules.countedFailures = [.deadlineExceeded, .connectFailed, .connectionClosed]
    return rules
  }
}

/// Breakers per instance, and how much of a cluster they may eject together.
public struct InstanceBreakerRules: Sendable, Hashable {
  public var breaker: BreakerRules = .instanceDefault
  /// Never eject more than this share of the instances (percent, 0…100).
  public var maxEjectionPercent: Double = 50

  public init() {}
}
