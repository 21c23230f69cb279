/// A clock, type-erased for code that only needs "now" and "sleep": breakers, windows,
/// backoff and budgets take one so tests can drive them with a manual clock.
///
/// Instants are durations since the source was made, so they compare and subtract without
/// generics.
///
/// ```swift
/// let time = TimeSource(ManualClock())   // in tests; TimeSource.continuous in production
/// let start = time.now()
/// ```
public struct TimeSource: Sendable {
  /// The time since this source was made.
  public let now: @Sendable () -> Duration
  /// Sleeps for a duration (throws `CancellationError` when the task is cancelled).
  public let sleep: @Sendable (Duration) async throws -> Void

  public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
    self.now = now
    self.sleep = sleep
  }

  /// Time from `clock`.
  public init<C: Clock<Duration>>(_ clock: C) {
    let origin = clock.now
    self.init(now: { origin.duration(to: clock.now) }, sleep: { try await clock.sleep(for: $0) })
  }

  /// The system's monotonic clock. (Concrete, not through ``init(_:)``: every governed call
  /// reads it several times, and the generic path looks up the clock's types each time.)
  public static let continuous: TimeSource = {
    let origin = ContinuousClock.now
    return TimeSource(now: { origin.duration(to: .now) }, sleep: { try await Task.sleep(for: $0) })
  }()
}
