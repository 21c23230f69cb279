import Testing
import WeaverCore
import WeaverGovernance

@Suite struct CircuitBreakerTests {
  @Test func sharesTheStateMachineBehindALock() {
    let breaker = CircuitBreaker(rules: rules {
      $0.consecutiveFailures = 2
      $0.openDuration = .seconds(5)
    })
    #expect(breaker.state == .closed)
    for _ in 0..<2 {
      let permit = breaker.acquire(now: .zero)
      breaker.record(failed, latency: .zero, permit: permit, now: .zero)
    }
    #expect(breaker.state == .open)
    #expect(breaker.acquire(now: .seconds(1)) == .rejected(retryAfter: .seconds(4)))
    let (permit, transition) = breaker.acquireWithTransition(now: .seconds(5))
    #expect(permit == .probe)
    #expect(transition?.to == .halfOpen)
    breaker.cancel(permit: permit)
    #expect(breaker.wouldAllow(now: .seconds(5)))
    let probe = breaker.acquire(now: .seconds(5))
    #expect(breaker.record(.success, latency: .zero, permit: probe, now: .seconds(6))?.to == .closed)
    var forced = breaker.rules
    forced.mode = .forcedOpen
    #expect(breaker.update(rules: forced)?.to == .forcedOpen)
    #expect(breaker.state == .forcedOpen)
  }

  @Test func concurrentCallsCountEveryOutcome() async {
    let breaker = CircuitBreaker(rules: rules { $0.minimumRequests = 1_000_000 })
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          for _ in 0..<250 {
            let permit = breaker.acquire(now: .seconds(1))
            breaker.record(.success, latency: .zero, permit: permit, now: .seconds(1))
          }
        }
      }
    }
    #expect(breaker.counts(now: .seconds(1)).total == 2000)
  }
}
