import Synchronization
import WeaverCore

/// Virtual time for simulations that run calls one after another: sleeping moves the time
/// forward at once, and a scripted instance "takes" its latency with ``advance(by:)``.
/// Thousands of calls that would take minutes run in milliseconds, and replay exactly.
///
/// (For code that sleeps in several tasks at once, use ``ManualClock`` and advance it from
/// the test.)
public final class SimulatedTime: Sendable {
  private let current = Mutex<Duration>(.zero)

  public init() {}

  /// The time since the simulation started.
  public var now: Duration { current.withLock { $0 } }

  /// Moves the time forward.
  public func advance(by duration: Duration) {
    current.withLock { $0 += max(.zero, duration) }
  }

  /// A ``TimeSource`` reading this time; its sleeps advance it.
  public var source: TimeSource {
    TimeSource(now: { self.now }, sleep: { duration in
      try Task.checkCancellation()
      self.advance(by: duration)
    })
  }
}
