/// Where a circuit breaker stands.
public enum BreakerState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Calls flow; outcomes are counted.
  case closed
  /// Calls are rejected until the open period ends.
  case open
  /// A few probe calls test whether the target has recovered.
  case halfOpen
  /// The rules force the breaker open: every call is rejected.
  case forcedOpen
  /// The rules turn the breaker off: every call is allowed, nothing is counted.
  case disabled

  public var description: String { rawValue }
}

/// What a breaker answers when a call asks to go through.
public enum BreakerPermit: Sendable, Hashable {
  /// Go ahead (closed or disabled).
  case allowed
  /// Go ahead as a half-open probe: record its outcome, or cancel it if it is abandoned,
  /// so the probe slot is freed.
  case probe
  /// Fail fast. `retryAfter` is when the open period ends; zero when the breaker is
  /// half-open with every probe slot taken (the wait is unknown); the rule's open duration
  /// when forced open.
  case rejected(retryAfter: Duration)

  /// Whether the call may go ahead.
  public var isPermitted: Bool {
    switch self {
    case .allowed, .probe: true
    case .rejected: false
    }
  }
}

/// A change of a breaker's state, and why: for logs, metrics and the console.
///
/// `from == to` happens once: an instance breaker that would have tripped but was kept
/// closed by the ejection cap (the reason starts with `ejection capped`).
public struct BreakerTransition: Sendable, Hashable, CustomStringConvertible {
  public var from: BreakerState
  public var to: BreakerState
  /// `failure rate 62.5% ≥ 60% over 24 calls`, `5 consecutive failures`, `probe succeeded`, …
  public var reason: String

  public init(from: BreakerState, to: BreakerState, reason: String) {
    self.from = from
    self.to = to
    self.reason = reason
  }

  /// `closed → open: 5 consecutive failures`.
  public var description: String { "\(from) → \(to): \(reason)" }
}
