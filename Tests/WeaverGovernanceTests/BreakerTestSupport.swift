import WeaverCore
import WeaverGovernance

/// Rules with every trip condition off but the ones a test turns on.
func rules(_ configure: (inout BreakerRules) -> Void) -> BreakerRules {
  var rules = BreakerRules()
  rules.window = .seconds(10)
  rules.buckets = 10
  configure(&rules)
  return rules
}

extension BreakerStateMachine {
  /// Acquires and records one call at `now`, returning the transition.
  @discardableResult
  mutating func call(_ outcome: CallOutcome, latency: Duration = .milliseconds(10), at now: Duration) -> BreakerTransition? {
    let permit = acquire(now: now)
    guard permit.isPermitted else { return nil }
    return record(outcome, latency: latency, permit: permit, now: now)
  }

  /// Records `count` calls with `outcome` at `now`; returns the last transition.
  @discardableResult
  mutating func calls(_ count: Int, _ outcome: CallOutcome, latency: Duration = .milliseconds(10), at now: Duration) -> BreakerTransition? {
    var last: BreakerTransition?
    for _ in 0..<count { last = call(outcome, latency: latency, at: now) ?? last }
    return last
  }
}

let failed = CallOutcome.failure(.connectFailed)
