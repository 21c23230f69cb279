import Synchronization
import WeaverCore

/// A circuit breaker tasks can share: a ``BreakerStateMachine`` behind a lock. Time is
/// passed in (`TimeSource.now()`), so tests drive it without clocks.
///
/// ```swift
/// let permit = breaker.acquire(now: time.now())
/// guard permit.isPermitted else { throw RPCError(.circuitOpen, "…") }
/// let start = time.now()
/// // … make the call, then:
/// if let change = breaker.record(outcome, latency: time.now() - start, permit: permit, now: time.now()) {
///   logger.notice("breaker \(change)")
/// }
/// ```
public final class CircuitBreaker: Sendable {
  private let machine: Mutex<BreakerStateMachine>

  public init(rules: BreakerRules = BreakerRules()) {
    machine = Mutex(BreakerStateMachine(rules: rules))
  }

  /// The current state (see ``BreakerStateMachine/state``).
  public var state: BreakerState {
    machine.withLock { $0.state }
  }

  /// The rules in force.
  public var rules: BreakerRules {
    machine.withLock { $0.rules }
  }

  /// Asks to let a call through at `now`.
  public func acquire(now: Duration) -> BreakerPermit {
    machine.withLock { $0.acquire(now: now) }
  }

  /// ``acquire(now:)``, also returning the open → half-open transition it may cause.
  public func acquireWithTransition(now: Duration) -> (permit: BreakerPermit, transition: BreakerTransition?) {
    machine.withLock { $0.acquireWithTransition(now: now) }
  }

  /// Whether a call would be let through at `now` (takes no probe slot).
  public func wouldAllow(now: Duration) -> Bool {
    machine.withLock { $0.wouldAllow(now: now) }
  }

  /// Records how a call ended; returns the transition it caused, if any.
  @discardableResult
  public func record(_ outcome: CallOutcome, latency: Duration, permit: BreakerPermit, now: Duration) -> BreakerTransition? {
    machine.withLock { $0.record(outcome, latency: latency, permit: permit, now: now) }
  }

  /// Frees the probe slot of a call abandoned without an outcome.
  public func cancel(permit: BreakerPermit) {
    machine.withLock { $0.cancel(permit: permit) }
  }

  /// Applies new rules live (see ``BreakerStateMachine/update(rules:)``).
  @discardableResult
  public func update(rules: BreakerRules) -> BreakerTransition? {
    machine.withLock { $0.update(rules: rules) }
  }

  /// The window's counts at `now`.
  public func counts(now: Duration) -> RollingWindow.Counts {
    machine.withLock { $0.counts(now: now) }
  }
}
