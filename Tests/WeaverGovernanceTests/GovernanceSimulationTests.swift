import Testing
import WeaverCore
import WeaverGovernance
import WeaverTesting

/// Thousands of calls through the real governance stages against scripted instances, in
/// virtual time (deterministic, a few milliseconds each).
@Suite struct GovernanceSimulationTests {
  @Test func aFailingInstanceIsIsolatedWithinTheWindowAndReadmittedAfterItRecovers() async throws {
    let a = Instance.sim(1), b = Instance.sim(2), c = Instance.sim(3)
    let cluster = try SimulatedCluster(
      rulesYAML: """
        retry: {maxAttempts: 2}
        instanceBreaker: {consecutiveFailures: 5, waitDurationInOpenState: 5s, maxEjectionPercent: 34%}
        """,
      instances: [a: Scripts.healthy, b: Scripts.failing(.connectFailed, from: .seconds(10), until: .seconds(40)), c: Scripts.healthy])
    await cluster.run(1_000)  // 10 s of 100 calls a second
    #expect(cluster.snapshot.attemptsByInstance[b, default: 0] > 250)

    cluster.resetStats()
    await cluster.run(100)  // the first second of b failing
    #expect(cluster.governor.breakerStates.instances[b] == .open, "isolated within a second")
    let during = cluster.snapshot
    #expect(during.failedCalls == 0, "retries on another instance hide every failure: \(during.failures)")

    cluster.resetStats()
    await cluster.run(2_000)  // until t = 31 s: b still failing; probes every 5 s
    let isolated = cluster.snapshot
    #expect(isolated.attemptsByInstance[b, default: 0] <= 10, "only half-open probes reach b: \(isolated.attemptsByInstance[b, default: 0])")
    #expect(isolated.failedCalls == 0)

    await cluster.run(1_500)  // to t = 46 s: b recovered at 40 s, a probe closes its breaker
    #expect(cluster.governor.breakerStates.instances[b] == .closed)
    cluster.resetStats()
    await cluster.run(1_000)
    let shares = cluster.snapshot.attemptsByInstance
    #expect(shares[b, default: 0] > 250, "b takes its share again: \(shares)")
  }

  @Test func retriesNeverExceedTheBudget() async throws {
    let instances = Dictionary(uniqueKeysWithValues: (1...3).map { (Instance.sim($0), Scripts.failing(.connectFailed)) })
    let cluster = try SimulatedCluster(
      rulesYAML: """
        retry: {maxAttempts: 3, budgetPercent: 20%, budgetMinPerSecond: 2, budgetWindow: 10s}
        instanceBreaker: {mode: disabled}
        circuitBreaker: {mode: disabled}
        """,
      instances: instances)
    for window in 0..<5 {
      cluster.resetStats()
      await cluster.run(1_000)  // 10 s of virtual time
      let stats = cluster.snapshot
      let retries = stats.attempts - stats.calls
      // At most max(2/s × 10 s, 20 % of the window's requests) per window.
      #expect(retries <= 220, "window \(window): \(retries) retries for \(stats.calls) calls")
      #expect(retries >= 150, "the budget is used, not starved: \(retries)")
    }
  }

  @Test func aTaggedRequestReachesOnlyTaggedInstancesOrTheFallback() async throws {
    let canary = Instance.sim(1, tags: ["release": "canary"])
    let stable = [Instance.sim(2), Instance.sim(3)]
    let cluster = try SimulatedCluster(
      rulesYAML: """
        routing: {releaseTag: {fallback: untagged}}
        instanceBreaker: {consecutiveFailures: 3, waitDurationInOpenState: 30s, maxEjectionPercent: 100%}
        retry: {maxAttempts: 1}
        """,
      instances: [canary: Scripts.healthy, stable[0]: Scripts.healthy, stable[1]: Scripts.healthy])
    let tagged = Metadata(persistent: ["release": "canary"])
    await cluster.run(500, metadata: tagged)
    #expect(cluster.snapshot.attemptsByInstance == [canary: 500])
    cluster.resetStats()
    await cluster.run(500)
    #expect(cluster.snapshot.attemptsByInstance[canary] == nil, "untagged calls avoid the canary")

    cluster.script(canary, Scripts.failing(.connectFailed))
    cluster.resetStats()
    await cluster.run(500, metadata: tagged)
    let fallback = cluster.snapshot
    #expect(fallback.attemptsByInstance[canary, default: 0] <= 3, "the canary is ejected after 3 failures")
    #expect(fallback.attemptsByInstance[stable[0], default: 0] + fallback.attemptsByInstance[stable[1], default: 0] >= 497)
  }

  @Test func regionFallbackHappensAtTheThreshold() async throws {
    let local = [Instance.sim(1, region: "r1", zone: "z1"), Instance.sim(2, region: "r1", zone: "z1")]
    let sameRegion = [Instance.sim(3, region: "r1", zone: "z2"), Instance.sim(4, region: "r1", zone: "z2")]
    let far = [Instance.sim(5, region: "r2", zone: "z3"), Instance.sim(6, region: "r2", zone: "z3")]
    var scripts: [Instance: SimulatedCluster.Script] = [:]
    for instance in local + sameRegion + far { scripts[instance] = Scripts.healthy }
    let cluster = try SimulatedCluster(
      rulesYAML: """
        routing: {region: {enabled: true, minHealthyPercent: 50%}}
        instanceBreaker: {consecutiveFailures: 2, waitDurationInOpenState: 60s, maxEjectionPercent: 100%}
        retry: {maxAttempts: 1}
        """,
      instances: scripts, locality: Locality(region: "r1", zone: "z1"))
    await cluster.run(200)
    #expect(Set(cluster.snapshot.attemptsByInstance.keys) == Set(local), "the caller's zone first")

    cluster.script(local[0], Scripts.failing(.connectFailed))
    await cluster.run(50)
    cluster.resetStats()
    await cluster.run(200)
    #expect(Set(cluster.snapshot.attemptsByInstance.keys) == [local[1]], "half the zone healthy: at the threshold, stay")

    cluster.script(local[1], Scripts.failing(.connectFailed))
    await cluster.run(50)
    cluster.resetStats()
    await cluster.run(200)
    #expect(Set(cluster.snapshot.attemptsByInstance.keys) == Set(sameRegion), "zone below the threshold: the region")
  }

  @Test func theProtectionThresholdSendsToEveryInstanceWhenTooFewAreHealthy() async throws {
    let instances = (1...5).map { Instance.sim($0) }
    var scripts: [Instance: SimulatedCluster.Script] = [:]
    for instance in instances { scripts[instance] = Scripts.healthy }
    let cluster = try SimulatedCluster(
      rulesYAML: """
        routing: {protectionThreshold: 50%}
        instanceBreaker: {consecutiveFailures: 2, waitDurationInOpenState: 60s, maxEjectionPercent: 100%}
        retry: {maxAttempts: 1}
        """,
      instances: scripts)
    cluster.script(instances[0], Scripts.failing(.connectFailed))
    cluster.script(instances[1], Scripts.failing(.connectFailed))
    await cluster.run(100)
    cluster.resetStats()
    await cluster.run(300)
    #expect(Set(cluster.snapshot.attemptsByInstance.keys) == Set(instances[2...]), "3 of 5 healthy (60 %): only the healthy")

    cluster.script(instances[2], Scripts.failing(.connectFailed))
    await cluster.run(100)
    cluster.resetStats()
    await cluster.run(300)
    #expect(Set(cluster.snapshot.attemptsByInstance.keys) == Set(instances), "2 of 5 healthy (40 % < 50 %): all of them")
  }

  @Test func aMethodBreakerFailsFastWithoutTouchingAnInstance() async throws {
    let cluster = try SimulatedCluster(
      rulesYAML: """
        circuitBreaker: {failureRateThreshold: 60%, minimumRequestThreshold: 20, waitDurationInOpenState: 60s}
        instanceBreaker: {mode: disabled}
        retry: {maxAttempts: 1}
        """,
      instances: [Instance.sim(1): Scripts.failing(.deadlineExceeded)])
    await cluster.run(20)
    cluster.resetStats()
    await cluster.run(100)
    let stats = cluster.snapshot
    #expect(stats.attempts == 0, "open: no attempt reaches the network")
    #expect(stats.failures == ["circuitOpen": 100])
  }
}
