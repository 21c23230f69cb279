import Synchronization

/// A token bucket: `rate` calls per second on average, up to `burst` at once. It starts
/// full. Tasks can share it; time is passed in as `now` (`TimeSource.now()`).
///
/// Kept exactly as a "theoretical arrival time" (GCRA): each call pushes it one interval
/// (`1 s / rate`) on, and a call is refused when that time would run more than `burst - 1`
/// intervals ahead of `now`. No floating-point drift, O(1).
public final class TokenBucket: Sendable {
  struct State: Sendable {
    var interval: Duration? {
      didSet { updateMaxAhead() }
    }
    var burst: Int {
      didSet { updateMaxAhead() }
    }
    /// How far ahead of now the theoretical arrival may run: `burst - 1` intervals (kept,
    /// not multiplied out per call).
    private(set) var maxAhead: Duration = .zero
    /// When the bucket is full again; nil: full.
    var theoreticalArrival: Duration?

    init(interval: Duration?, burst: Int) {
      self.interval = interval
      self.burst = burst
      updateMaxAhead()
    }

    private mutating func updateMaxAhead() {
      maxAhead = (interval ?? .zero) * (burst - 1)
    }
  }

  private let state: Mutex<State>

  /// A bucket of `rate` calls per second (0 or less refuses every call) and `burst` calls at
  /// once (at least 1; by default one second's worth).
  public init(rate: Double, burst: Int? = nil) {
    state = Mutex(State(interval: Self.interval(rate), burst: Self.burst(burst, rate: rate)))
  }

  /// A bucket for the server limits of `rules`; nil when they set no rate.
  public convenience init?(limits rules: LimitRules) {
    guard let rate = rules.serverQPS else { return nil }
    self.init(rate: rate, burst: rules.serverBurst)
  }

  /// Calls the bucket lets through at once.
  public var burst: Int {
    state.withLock { $0.burst }
  }

  /// Takes a token at `now`; false when the bucket is empty.
  public func tryTake(now: Duration) -> Bool {
    state.withLock { state in
      guard let interval = state.interval else { return false }
      let start = max(state.theoreticalArrival ?? now, now)
      guard start - now <= state.maxAhead else { return false }
      state.theoreticalArrival = start + interval
      return true
    }
  }

  /// Changes rate and burst live; tokens already spent stay spent.
  public func update(rate: Double, burst: Int? = nil) {
    state.withLock { state in
      state.interval = Self.interval(rate)
      state.burst = Self.burst(burst, rate: rate)
    }
  }

  private static func interval(_ rate: Double) -> Duration? {
    guard rate > 0, rate.isFinite else { return rate == .infinity ? .zero : nil }
    return .seconds(1) / rate
  }

  private static func burst(_ burst: Int?, rate: Double) -> Int {
    if let burst { return max(1, burst) }
    guard rate.isFinite, rate > 0 else { return 1 }
    return max(1, Int(min(rate, Double(Int32.max)).rounded(.up)))
  }
}
