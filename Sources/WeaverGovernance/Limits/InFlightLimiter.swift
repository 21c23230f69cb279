import Synchronization

/// At most `limit` calls at once: ``tryAcquire()`` before a call, ``release()`` after it.
/// Lock-free; the limit can change live (lowering it refuses new calls until enough
/// finish; calls already running are never interrupted).
public final class InFlightLimiter: Sendable {
  private let running = Atomic<Int>(0)
  private let maximum: Atomic<Int>

  /// A limiter of `limit` calls at once (0 or less refuses every call).
  public init(limit: Int) {
    maximum = Atomic(limit)
  }

  /// The most calls allowed at once.
  public var limit: Int {
    get { maximum.load(ordering: .relaxed) }
    set { maximum.store(newValue, ordering: .relaxed) }
  }

  /// Calls running now.
  public var inFlight: Int {
    running.load(ordering: .relaxed)
  }

  /// Takes a slot; false when `limit` calls are running.
  public func tryAcquire() -> Bool {
    var current = running.load(ordering: .relaxed)
    while true {
      guard current < maximum.load(ordering: .relaxed) else { return false }
      let (exchanged, original) = running.weakCompareExchange(
        expected: current, desired: current + 1, successOrdering: .acquiring, failureOrdering: .relaxed)
      if exchanged { return true }
      current = original
    }
  }

  /// Gives back a slot a successful ``tryAcquire()`` took.
  public func release() {
    let before = running.subtract(1, ordering: .releasing).oldValue
    precondition(before > 0, "InFlightLimiter.release() without a matching tryAcquire()")
  }
}
