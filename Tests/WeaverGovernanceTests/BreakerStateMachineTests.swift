import Testing
import WeaverCore
import WeaverGovernance

/// The product's example: trip at a 60% failure rate once 20 calls are in the window,
/// stay open 60 s.
private let sixtyPercent = rules {
  $0.failureRateThreshold = 60
  $0.minimumRequests = 20
  $0.openDuration = .seconds(60)
}

@Suite struct BreakerTripTests {
  @Test func doesNotTripBelowMinimumRequests() {
    var breaker = BreakerStateMachine(rules: sixtyPercent)
    #expect(breaker.calls(19, failed, at: .seconds(1)) == nil)
    #expect(breaker.state == .closed)
    #expect(breaker.counts(now: .seconds(1)) == RollingWindow.Counts(total: 19, failures: 19, slow: 0))
  }

  @Test func tripsAtExactlyTheFailureRate() {
    var breaker = BreakerStateMachine(rules: sixtyPercent)
    breaker.calls(8, .success, at: .seconds(1))
    #expect(breaker.calls(11, failed, at: .seconds(1)) == nil)  // 19 calls
    let transition = breaker.call(failed, at: .seconds(1))  // 12 of 20: 60%
    #expect(transition == BreakerTransition(from: .closed, to: .open, reason: "failure rate 60% ≥ 60% over 20 calls"))
    #expect(breaker.state == .open)
  }

  @Test func staysClosedJustBelowTheFailureRate() {
    var breaker = BreakerStateMachine(rules: sixtyPercent)
    breaker.calls(10, .success, at: .seconds(1))
    #expect(breaker.calls(14, failed, at: .seconds(1)) == nil)  // 14 of 24: 58.3%
    #expect(breaker.state == .closed)
    let transition = breaker.call(failed, at: .seconds(1))  // 15 of 25: 60%
    #expect(transition?.to == .open)
  }

  @Test func reasonShowsFractionalRates() {
    var breaker = BreakerStateMachine(rules: sixtyPercent)
    breaker.calls(9, .success, at: .seconds(1))
    let transition = breaker.calls(14, failed, at: .seconds(1))  // 13 of 22 is 59.1%; 14 of 23 is 60.8%
    #expect(transition?.reason == "failure rate 60.8% ≥ 60% over 23 calls")
  }

  @Test func openRejectsForTheOpenDurationThenProbes() {
    var breaker = BreakerStateMachine(rules: sixtyPercent)
    breaker.calls(20, failed, at: .seconds(1))
    #expect(breaker.state == .open)
    #expect(breaker.acquire(now: .seconds(31)) == .rejected(retryAfter: .seconds(30)))
    #expect(!breaker.wouldAllow(now: .milliseconds(60_999)))
    #expect(breaker.wouldAllow(now: .seconds(61)))
    let (permit, transition) = breaker.acquireWithTransition(now: .seconds(61))
    #expect(permit == .probe)
    #expect(transition == BreakerTransition(from: .open, to: .halfOpen, reason: "open period of 60s over"))
    #expect(breaker.state == .halfOpen)
  }

  @Test func tripsOnTheSlowCallRate() {
    let rules = rules {
      $0.minimumRequests = 10
      $0.slowCallRateThreshold = 50
      $0.slowCallDuration = .seconds(1)
    }
    var breaker = BreakerStateMachine(rules: rules)
    breaker.calls(5, .success, latency: .seconds(1), at: .seconds(1))  // exactly 1 s: not slow
    #expect(breaker.calls(4, .success, latency: .milliseconds(1001), at: .seconds(1)) == nil)
    #expect(breaker.counts(now: .seconds(1)) == RollingWindow.Counts(total: 9, failures: 0, slow: 4))
    let transition = breaker.call(.success, latency: .seconds(3), at: .seconds(1))  // 5 of 10
    #expect(transition?.to == .open)
    #expect(transition?.reason == "slow-call rate 50% ≥ 50% over 10 calls (slower than 1s)")
  }

  @Test func slowCallsCountWhateverTheirOutcomeUnlessIgnored() {
    var breaker = BreakerStateMachine(rules: rules { $0.minimumRequests = 100 })
    breaker.call(failed, latency: .seconds(2), at: .zero)
    breaker.call(.success, latency: .seconds(2), at: .zero)
    breaker.call(.declaredError, latency: .seconds(2), at: .zero)
    breaker.call(.failure(.overloaded), latency: .seconds(2), at: .zero)
    #expect(breaker.counts(now: .zero) == RollingWindow.Counts(total: 2, failures: 1, slow: 2))
  }

  @Test func slowRateOffByDefault() {
    var breaker = BreakerStateMachine(rules: rules { $0.minimumRequests = 5 })
    breaker.calls(10, .success, latency: .seconds(5), at: .zero)
    #expect(breaker.state == .closed)
  }

  @Test func tripsOnConsecutiveFailures() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 3
      $0.minimumRequests = 100
    })
    breaker.calls(2, failed, at: .seconds(1))
    breaker.call(.success, at: .seconds(1))  // resets the run
    breaker.calls(2, failed, at: .seconds(2))
    breaker.call(.declaredError, at: .seconds(2))  // neither: the run goes on
    breaker.call(.failure(.overloaded), at: .seconds(2))  // not counted: likewise
    #expect(breaker.consecutiveFailureCount == 2)
    #expect(breaker.state == .closed)
    let transition = breaker.call(.failure(.deadlineExceeded), at: .seconds(3))
    #expect(transition == BreakerTransition(from: .closed, to: .open, reason: "3 consecutive failures"))
  }

  @Test func oldFailuresLeaveTheWindow() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.minimumRequests = 20
      $0.failureRateThreshold = 50
    })
    breaker.calls(10, failed, at: .milliseconds(500))
    // 10 s later the first bucket has left: 10 successes make 10 calls, not 20 at 50%.
    #expect(breaker.calls(10, .success, at: .milliseconds(10_500)) == nil)
    #expect(breaker.counts(now: .milliseconds(10_500)) == RollingWindow.Counts(total: 10, failures: 0, slow: 0))
    #expect(breaker.state == .closed)
    // Still inside the window, the same calls trip it.
    var inside = BreakerStateMachine(rules: breaker.rules)
    inside.calls(10, failed, at: .milliseconds(500))
    #expect(inside.calls(10, .success, at: .milliseconds(9_500))?.to == .open)
  }

  @Test func declaredErrorsAndUncountedFailuresAreIgnored() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.minimumRequests = 1
      $0.consecutiveFailures = 1
    })
    breaker.calls(50, .declaredError, at: .zero)
    breaker.calls(50, .failure(.overloaded), at: .zero)
    breaker.calls(50, .failure(.cancelled), at: .zero)
    #expect(breaker.state == .closed)
    #expect(breaker.counts(now: .zero) == .zero)
    #expect(breaker.call(.failure(.serverError), at: .zero)?.to == .open)
  }

  @Test func rejectedPermitsRecordNothing() {
    var breaker = BreakerStateMachine(rules: rules { $0.minimumRequests = 1 })
    #expect(breaker.record(failed, latency: .zero, permit: .rejected(retryAfter: .zero), now: .zero) == nil)
    #expect(breaker.counts(now: .zero) == .zero)
  }
}

@Suite struct BreakerHalfOpenTests {
  /// Trips on the first failure; opens for 10 s.
  private static let eager = rules {
    $0.consecutiveFailures = 1
    $0.openDuration = .seconds(10)
  }

  @Test func halfOpenLetsOnlyTheProbeLimitThrough() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 1
      $0.openDuration = .seconds(10)
      $0.halfOpenProbes = 2
      $0.halfOpenSuccesses = 2
    })
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.acquire(now: .seconds(10)) == .rejected(retryAfter: .zero))
    #expect(!breaker.wouldAllow(now: .seconds(10)))
    // One success: still half-open, its slot is free again.
    #expect(breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(11)) == nil)
    #expect(breaker.state == .halfOpen)
    #expect(breaker.acquire(now: .seconds(11)) == .probe)
    #expect(breaker.acquire(now: .seconds(11)) == .rejected(retryAfter: .zero))
    // The second success closes it.
    let transition = breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(12))
    #expect(transition == BreakerTransition(from: .halfOpen, to: .closed, reason: "2 probes succeeded"))
    #expect(breaker.acquire(now: .seconds(12)) == .allowed)
  }

  @Test func aSuccessfulProbeClosesWithAFreshWindow() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 3
      $0.minimumRequests = 4
      $0.failureRateThreshold = 50
    })
    breaker.calls(3, failed, at: .zero)
    #expect(breaker.state == .open)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    let transition = breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(10))
    #expect(transition == BreakerTransition(from: .halfOpen, to: .closed, reason: "probe succeeded"))
    #expect(breaker.counts(now: .seconds(10)) == .zero)
    #expect(breaker.consecutiveFailureCount == 0)
    breaker.calls(2, failed, at: .seconds(10))
    #expect(breaker.state == .closed)
  }

  @Test func anyFailedProbeReopens() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 1
      $0.halfOpenProbes = 3
      $0.halfOpenSuccesses = 3
    })
    breaker.call(failed, at: .zero)
    for _ in 0..<3 { #expect(breaker.acquire(now: .seconds(10)) == .probe) }
    breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(10))
    let transition = breaker.record(.failure(.deadlineExceeded), latency: .zero, permit: .probe, now: .seconds(11))
    #expect(transition == BreakerTransition(from: .halfOpen, to: .open, reason: "probe failed (deadlineExceeded); open for 10s"))
    // The last probe's late success changes nothing.
    #expect(breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(12)) == nil)
    #expect(breaker.state == .open)
    #expect(breaker.acquire(now: .seconds(12)) == .rejected(retryAfter: .seconds(9)))
  }

  @Test func ignoredProbeOutcomesFreeTheSlotOnly() {
    var breaker = BreakerStateMachine(rules: Self.eager)
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.record(.declaredError, latency: .zero, permit: .probe, now: .seconds(10)) == nil)
    #expect(breaker.state == .halfOpen)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
  }

  @Test func aSlowProbeReopensWhenSlowCallsTrip() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 1
      $0.slowCallRateThreshold = 80
      $0.slowCallDuration = .milliseconds(200)
    })
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    let transition = breaker.record(.success, latency: .milliseconds(1500), permit: .probe, now: .seconds(11))
    #expect(transition?.to == .open)
    #expect(transition?.reason == "probe slow (1.5s > 200ms); open for 10s")
  }

  @Test func cancelFreesTheProbeSlot() {
    var breaker = BreakerStateMachine(rules: Self.eager)
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.acquire(now: .seconds(11)) == .rejected(retryAfter: .zero))
    breaker.cancel(permit: .probe)
    #expect(breaker.state == .halfOpen)
    #expect(breaker.acquire(now: .seconds(11)) == .probe)
    // Cancelling other permits does nothing.
    breaker.cancel(permit: .allowed)
    breaker.cancel(permit: .rejected(retryAfter: .zero))
    #expect(breaker.acquire(now: .seconds(11)) == .rejected(retryAfter: .zero))
  }

  @Test func aLostProbeFreesItsSlotAfterAnOpenDuration() {
    var breaker = BreakerStateMachine(rules: Self.eager)
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)  // never recorded nor cancelled
    #expect(breaker.acquire(now: .milliseconds(19_999)) == .rejected(retryAfter: .zero))
    #expect(breaker.wouldAllow(now: .seconds(20)))
    #expect(breaker.acquire(now: .seconds(20)) == .probe)
  }

  @Test func reopeningGrowsTheOpenDurationUpToTheCapAndResetsOnClose() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 1
      $0.openDuration = .seconds(10)
      $0.openDurationMultiplier = 2
      $0.maxOpenDuration = .seconds(35)
    })
    breaker.call(failed, at: .zero)
    #expect(breaker.acquire(now: .zero) == .rejected(retryAfter: .seconds(10)))

    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.record(failed, latency: .zero, permit: .probe, now: .seconds(10))?.reason == "probe failed (connectFailed); open for 20s")
    #expect(breaker.acquire(now: .seconds(10)) == .rejected(retryAfter: .seconds(20)))

    #expect(breaker.acquire(now: .seconds(30)) == .probe)
    #expect(breaker.record(failed, latency: .zero, permit: .probe, now: .seconds(30))?.reason == "probe failed (connectFailed); open for 35s")

    #expect(breaker.acquire(now: .seconds(65)) == .probe)
    breaker.record(failed, latency: .zero, permit: .probe, now: .seconds(65))
    #expect(breaker.currentOpenDuration == .seconds(35))
    #expect(breaker.acquire(now: .seconds(65)) == .rejected(retryAfter: .seconds(35)))

    #expect(breaker.acquire(now: .seconds(100)) == .probe)
    #expect(breaker.record(.success, latency: .zero, permit: .probe, now: .seconds(100))?.to == .closed)
    breaker.call(failed, at: .seconds(101))
    #expect(breaker.acquire(now: .seconds(101)) == .rejected(retryAfter: .seconds(10)))
  }

  @Test func lateOutcomesOfCallsAllowedBeforeTheTripAreDropped() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.consecutiveFailures = 2
      $0.minimumRequests = 1000
    })
    let early = breaker.acquire(now: .zero)
    breaker.calls(2, failed, at: .zero)
    #expect(breaker.state == .open)
    #expect(breaker.record(.success, latency: .seconds(1), permit: early, now: .seconds(1)) == nil)
    #expect(breaker.acquire(now: .seconds(10)) == .probe)
    #expect(breaker.record(failed, latency: .seconds(1), permit: early, now: .seconds(10)) == nil)
    #expect(breaker.state == .halfOpen)
  }
}

@Suite struct BreakerModeAndRulesTests {
  @Test func forcedOpenRejectsEverything() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.mode = .forcedOpen
      $0.openDuration = .seconds(30)
    })
    #expect(breaker.state == .forcedOpen)
    #expect(breaker.acquire(now: .seconds(1000)) == .rejected(retryAfter: .seconds(30)))
    #expect(!breaker.wouldAllow(now: .seconds(1000)))
    #expect(breaker.record(.success, latency: .zero, permit: .allowed, now: .zero) == nil)
    #expect(breaker.state == .forcedOpen)
  }

  @Test func disabledAllowsEverythingAndCountsNothing() {
    var breaker = BreakerStateMachine(rules: rules {
      $0.mode = .disabled
      $0.consecutiveFailures = 1
    })
    #expect(breaker.calls(100, failed, at: .zero) == nil)
    #expect(breaker.state == .disabled)
    #expect(breaker.acquire(now: .zero) == .allowed)
    #expect(breaker.counts(now: .zero) == .zero)
  }

  @Test func modeChangesAreTransitions() {
    var current = rules { $0.consecutiveFailures = 1 }
    var breaker = BreakerStateMachine(rules: current)
    breaker.call(failed, at: .zero)
    #expect(breaker.state == .open)

    current.mode = .forcedOpen
    #expect(breaker.update(rules: current) == BreakerTransition(from: .open, to: .forcedOpen, reason: "forced open by rules"))
    current.mode = .disabled
    #expect(breaker.update(rules: current) == BreakerTransition(from: .forcedOpen, to: .disabled, reason: "disabled by rules"))
    current.mode = .automatic
    #expect(breaker.update(rules: current) == BreakerTransition(from: .disabled, to: .closed, reason: "automatic mode restored"))
    #expect(breaker.acquire(now: .seconds(1)) == .allowed)
    #expect(breaker.update(rules: current) == nil)
  }

  @Test func updateKeepsStateAndCountsWhenTheWindowIsUnchanged() {
    var current = rules {
      $0.minimumRequests = 10
      $0.failureRateThreshold = 50
    }
    var breaker = BreakerStateMachine(rules: current)
    breaker.calls(4, failed, at: .zero)
    current.failureRateThreshold = 40
    current.minimumRequests = 5
    #expect(breaker.update(rules: current) == nil)
    #expect(breaker.counts(now: .zero).total == 4)
    #expect(breaker.call(failed, at: .zero)?.to == .open)  // the new thresholds, the old counts
  }

  @Test func updateStartsAFreshWindowWhenTheWindowChanges() {
    var current = rules { $0.minimumRequests = 5 }
    var breaker = BreakerStateMachine(rules: current)
    breaker.calls(4, failed, at: .zero)
    current.buckets = 20
    breaker.update(rules: current)
    #expect(breaker.counts(now: .zero) == .zero)
    current.window = .seconds(30)
    breaker.calls(4, failed, at: .zero)
    breaker.update(rules: current)
    #expect(breaker.counts(now: .zero) == .zero)
    #expect(breaker.state == .closed)
  }

  @Test func updateKeepsAnOpenBreakerOpen() {
    var current = rules { $0.consecutiveFailures = 1 }
    var breaker = BreakerStateMachine(rules: current)
    breaker.call(failed, at: .zero)
    current.window = .seconds(60)
    current.consecutiveFailures = 10
    #expect(breaker.update(rules: current) == nil)
    #expect(breaker.state == .open)
  }
}
