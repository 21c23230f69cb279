import Testing
import WeaverCore
import WeaverGovernance

private let cluster = (1...5).map { Instance(host: "10.0.0.\($0)", port: 9090) }

/// Instance breakers that trip on one failure and stay open 10 s.
private func eagerRules(maxEjectionPercent: Double) -> InstanceBreakerRules {
  var rules = InstanceBreakerRules()
  rules.breaker.consecutiveFailures = 1
  rules.breaker.openDuration = .seconds(10)
  rules.maxEjectionPercent = maxEjectionPercent
  return rules
}

extension InstanceBreakers {
  @discardableResult
  fileprivate func fail(_ instance: Instance, at now: Duration) -> BreakerTransition? {
    let permit = acquire(instance, now: now)
    return record(.failure(.connectFailed), latency: .zero, permit: permit, instance: instance, now: now)
  }
}

@Suite struct InstanceBreakersTests {
  @Test(arguments: [
    (0, 50.0, 0), (1, 50.0, 0), (1, 100.0, 1), (2, 10.0, 1), (2, 50.0, 1), (3, 50.0, 1), (4, 50.0, 2),
    (5, 40.0, 2), (5, 10.0, 1), (5, 0.0, 0), (5, 100.0, 5), (5, 250.0, 5), (10, 70.0, 7), (10, 33.0, 3),
  ])
  func ejectionLimit(instances: Int, percent: Double, limit: Int) {
    #expect(InstanceBreakers.ejectionLimit(instances: instances, maxEjectionPercent: percent) == limit)
  }

  @Test func atMostTheCapIsEjected() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 40), instances: cluster)
    #expect(breakers.ejectionLimit == 2)
    #expect(breakers.fail(cluster[0], at: .zero)?.to == .open)
    #expect(breakers.fail(cluster[1], at: .zero)?.to == .open)
    let capped = breakers.fail(cluster[2], at: .zero)
    #expect(capped?.from == .closed)
    #expect(capped?.to == .closed)
    #expect(capped?.reason == "ejection capped: 1 consecutive failure (2 of 5 instances ejected)")
    #expect(breakers.state(of: cluster[2]) == .closed)
    #expect(breakers.isAvailable(cluster[2], now: .zero))
    #expect(breakers.ejectedCount == 2)
    #expect(!breakers.isAvailable(cluster[0], now: .seconds(5)))

    // Half-open still counts as ejected; once a breaker closes, another may trip.
    #expect(breakers.acquire(cluster[0], now: .seconds(10)) == .probe)
    #expect(breakers.fail(cluster[3], at: .seconds(10))?.to == .closed)
    #expect(breakers.record(.success, latency: .zero, permit: .probe, instance: cluster[0], now: .seconds(10))?.to == .closed)
    #expect(breakers.ejectedCount == 1)
    #expect(breakers.fail(cluster[3], at: .seconds(11))?.to == .open)
    #expect(breakers.ejectedCount == 2)
  }

  @Test func anEjectedBreakerMayReopenAtTheCap() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 40), instances: cluster)
    breakers.fail(cluster[0], at: .zero)
    breakers.fail(cluster[1], at: .zero)
    #expect(breakers.acquire(cluster[0], now: .seconds(10)) == .probe)
    let transition = breakers.record(.failure(.connectFailed), latency: .zero, permit: .probe, instance: cluster[0], now: .seconds(10))
    #expect(transition?.to == .open)
    #expect(breakers.ejectedCount == 2)
  }

  @Test func availabilityFollowsTheBreaker() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 100), instances: cluster)
    breakers.fail(cluster[0], at: .zero)
    #expect(!breakers.isAvailable(cluster[0], now: .seconds(9)))
    #expect(breakers.isAvailable(cluster[0], now: .seconds(10)))  // a probe may go
    let (permit, transition) = breakers.acquireWithTransition(cluster[0], now: .seconds(10))
    #expect(permit == .probe)
    #expect(transition?.to == .halfOpen)
    #expect(!breakers.isAvailable(cluster[0], now: .seconds(10)))  // its one probe slot is taken
    breakers.cancel(permit: permit, instance: cluster[0])
    #expect(breakers.isAvailable(cluster[0], now: .seconds(10)))
    #expect(breakers.isAvailable(Instance(host: "10.9.9.9", port: 1), now: .zero))
  }

  @Test func breakersOfInstancesThatLeftAreDropped() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 100), instances: cluster)
    breakers.fail(cluster[0], at: .zero)
    breakers.fail(cluster[1], at: .zero)
    #expect(breakers.ejectedCount == 2)

    var reweighted = cluster[1]
    reweighted.weight = 50
    breakers.update(instances: [reweighted, cluster[2], cluster[3], cluster[4]])
    #expect(breakers.count == 4)
    #expect(breakers.state(of: cluster[0]) == nil)
    #expect(breakers.state(of: cluster[1]) == .open)  // same address: same breaker
    #expect(breakers.ejectedCount == 1)
    // Outcomes for an instance that left are ignored.
    #expect(breakers.record(.failure(.connectFailed), latency: .zero, permit: .allowed, instance: cluster[0], now: .zero) == nil)
    #expect(breakers.state(of: cluster[0]) == nil)

    // An instance that comes back starts closed.
    breakers.update(instances: cluster)
    #expect(breakers.state(of: cluster[0]) == .closed)
    #expect(breakers.ejectedCount == 1)
  }

  @Test func fewerInstancesLowerTheCap() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 40), instances: cluster)
    breakers.fail(cluster[0], at: .zero)
    breakers.fail(cluster[1], at: .zero)
    breakers.update(instances: Array(cluster[0..<3]))
    #expect(breakers.ejectionLimit == 1)
    #expect(breakers.ejectedCount == 2)  // those already out stay out
    #expect(breakers.fail(cluster[2], at: .zero)?.to == .closed)
  }

  @Test func acquireAddsAnUnknownInstance() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 100))
    let stranger = Instance(host: "10.1.1.1", port: 80)
    #expect(breakers.acquire(stranger, now: .zero) == .allowed)
    #expect(breakers.count == 1)
    #expect(breakers.state(of: stranger) == .closed)
  }

  @Test func rulesApplyToEveryBreaker() {
    let breakers = InstanceBreakers(rules: eagerRules(maxEjectionPercent: 100), instances: Array(cluster[0..<2]))
    breakers.fail(cluster[0], at: .zero)
    var forced = eagerRules(maxEjectionPercent: 100)
    forced.breaker.mode = .forcedOpen
    let transitions = breakers.update(rules: forced)
    #expect(Set(transitions.map(\.instance)) == Set(cluster[0..<2]))
    #expect(transitions.allSatisfy { $0.transition.to == .forcedOpen })
    #expect(breakers.ejectedCount == 0)  // forced open is not ejection
    #expect(breakers.acquire(cluster[1], now: .zero) == .rejected(retryAfter: .seconds(10)))
    #expect(breakers.rules == forced)
  }
}
