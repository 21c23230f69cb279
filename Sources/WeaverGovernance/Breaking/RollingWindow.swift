/// Counts of recent calls over a time-based window of buckets: how many were counted, how
/// many failed, how many were slow. Old buckets leave the window one at a time as `now`
/// moves on; recording and reading are O(1) amortised.
///
/// The window covers the bucket `now` falls in and the `buckets - 1` before it, so it holds
/// between `window - window / buckets` and `window` of history.
public struct RollingWindow: Sendable {
  /// What the window holds.
  public struct Counts: Sendable, Hashable, AdditiveArithmetic {
    /// Calls counted (successes and failures; ignored outcomes are not recorded).
    public var total: Int
    public var failures: Int
    /// Calls slower than the slow-call duration, whatever their outcome.
    public var slow: Int

    public init(total: Int = 0, failures: Int = 0, slow: Int = 0) {
      self.total = total
      self.failures = failures
      self.slow = slow
    }

    public static var zero: Counts { Counts() }

    public static func + (lhs: Counts, rhs: Counts) -> Counts {
      Counts(total: lhs.total + rhs.total, failures: lhs.failures + rhs.failures, slow: lhs.slow + rhs.slow)
    }

    public static func - (lhs: Counts, rhs: Counts) -> Counts {
      Counts(total: lhs.total - rhs.total, failures: lhs.failures - rhs.failures, slow: lhs.slow - rhs.slow)
    }
  }

  public let window: Duration
  public let buckets: Int
  private var storage: BucketedWindow<Counts>

  /// A window of `window` divided into `buckets` buckets (at least one).
  public init(window: Duration, buckets: Int) {
    self.window = window
    self.buckets = max(1, buckets)
    storage = BucketedWindow(window: window, buckets: buckets)
  }

  /// Records one call at `now`.
  public mutating func record(failure: Bool, slow: Bool, now: Duration) {
    storage.add(Counts(total: 1, failures: failure ? 1 : 0, slow: slow ? 1 : 0), now: now)
  }

  /// The counts of the calls still in the window at `now`.
  public mutating func counts(now: Duration) -> Counts {
    storage.total(now: now)
  }

  /// Forgets every call.
  public mutating func reset() {
    storage.reset()
  }
}
