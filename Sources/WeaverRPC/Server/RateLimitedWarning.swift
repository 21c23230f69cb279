import Synchronization

/// Lets a repeated warning through once per `interval` and counts the ones it held back,
/// so a flood of the same event (refused connections, say) logs one line a second, each
/// saying how many it stands for.
final class RateLimitedWarning: Sendable {
  private let interval: Duration
  private let state = Mutex<(lastLogged: ContinuousClock.Instant?, suppressed: Int)>((nil, 0))

  init(interval: Duration) {
    self.interval = interval
  }

  /// Counts one occurrence at `now`; calls `log` with the number held back since the last
  /// line when one is due.
  func record(at now: ContinuousClock.Instant = .now, _ log: (_ suppressed: Int) -> Void) {
    let due: Int? = state.withLock { state in
      if let last = state.lastLogged, last.duration(to: now) < interval {
        state.suppressed += 1
        return nil
      }
      defer { state = (now, 0) }
      return state.suppressed
    }
    if let due { log(due) }
  }
}
