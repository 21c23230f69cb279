import Testing
import WeaverCore
@testable import WeaverGovernance

@Suite struct PeakEWMABalancerTests {
  private func balancer(decay: Duration = .seconds(1), seed: UInt64 = 7) -> PeakEWMABalancer {
    var rules = LoadBalancerRules()
    rules.policy = .p2cPeakEWMA
    rules.ewmaDecay = decay
    return PeakEWMABalancer(rules: rules, seed: seed)
  }

  /// One call to `target` of `latency`, finishing at `now`.
  private func record(_ balancer: PeakEWMABalancer, _ target: Instance, _ latency: Duration, at now: Duration,
                      outcome: CallOutcome = .success) {
    balancer.callStarted(target)
    balancer.callFinished(target, latency: latency, outcome: outcome, now: now)
  }

  /// 5 000 calls one after another, each taking its instance's latency; picks by host.
  private func simulate(_ balancer: PeakEWMABalancer, latency: [String: Duration]) -> [String: Int] {
    let all = latency.keys.sorted().map { instance($0) }
    balancer.update(all)
    var now = Duration.zero
    var counts: [String: Int] = [:]
    for _ in 0..<5_000 {
      let pick = balancer.pick(from: all, now: now)!
      balancer.callStarted(pick)
      now += latency[pick.host]!
      balancer.callFinished(pick, latency: latency[pick.host]!, outcome: .success, now: now)
      counts[pick.host, default: 0] += 1
    }
    return counts
  }

  @Test func prefersTheFastInstanceAndStillProbesTheSlowOne() {
    let counts = simulate(balancer(), latency: ["a": .milliseconds(10), "b": .milliseconds(100)])
    #expect(counts["a", default: 0] > 4_900, "\(counts)")
    // Its estimate fading toward 0 while idle, the slow instance is tried again now and then.
    #expect(counts["b", default: 0] > 5, "\(counts)")
  }

  @Test func threeInstancesRankByLatency() {
    let latency: [String: Duration] = ["a": .milliseconds(10), "b": .milliseconds(50), "c": .milliseconds(200)]
    let counts = simulate(balancer(), latency: latency)
    let (a, b, c) = (counts["a", default: 0], counts["b", default: 0], counts["c", default: 0])
    // P2C draws the pair (b, c) a third of the time, so the fastest gets about 2/3 at most.
    #expect(a > 3_000, "\(counts)")
    #expect(a > b && b > c, "\(counts)")
    #expect(c > 5, "\(counts)")
  }

  @Test func callsInFlightRaiseTheLoad() {
    let (a, b) = (instance("a"), instance("b"))
    let balancer = balancer()
    balancer.update([a, b])
    record(balancer, a, .milliseconds(10), at: .zero)
    record(balancer, b, .milliseconds(10), at: .zero)
    for _ in 0..<3 { balancer.callStarted(a) }
    #expect(tally((0..<100).map { _ in balancer.pick(from: [a, b], now: .zero) }) == ["b": 100])
  }

  @Test func estimateJumpsToPeaksAndDecaysWithExpWeight() throws {
    let a = instance("a")
    let balancer = balancer(decay: .seconds(1))
    record(balancer, a, .seconds(1), at: .zero)
    #expect(balancer.cost(of: a, now: .zero) == 1e9)
    record(balancer, a, .milliseconds(10), at: .seconds(1))
    let e1 = 0.367_879_441_171_442_33  // e^-1
    let expected = 1e9 * e1 + 1e7 * (1 - e1)
    let cost = try #require(balancer.cost(of: a, now: .seconds(1)))
    #expect(abs(cost - expected) < 1e-3)
    // Between samples it fades toward 0 by the same weight.
    let later = try #require(balancer.cost(of: a, now: .seconds(2)))
    #expect(abs(later - expected * e1) < 1e-3)
    // A slower sample replaces the estimate at once.
    record(balancer, a, .seconds(2), at: .milliseconds(2_500))
    #expect(balancer.cost(of: a, now: .milliseconds(2_500)) == 2e9)
  }

  @Test func aPeakFadesOnceFastSamplesFollow() {
    let (a, b) = (instance("a"), instance("b"))
    let balancer = balancer(decay: .seconds(1))
    balancer.update([a, b])
    record(balancer, a, .seconds(1), at: .zero)
    var now = Duration.zero
    func advance(to end: Duration) {
      while now < end {
        now += .milliseconds(100)
        record(balancer, a, .milliseconds(10), at: now)
        record(balancer, b, .milliseconds(50), at: now)
      }
    }
    advance(to: .seconds(1))
    #expect(balancer.pick(from: [a, b], now: now) == b)
    advance(to: .seconds(6))
    #expect(balancer.pick(from: [a, b], now: now) == a)
  }

  @Test func unmeasuredInstanceGetsOneProbeAtATime() {
    let (a, d) = (instance("a"), instance("d"))
    let balancer = balancer()
    balancer.update([a])
    record(balancer, a, .milliseconds(10), at: .zero)
    balancer.update([a, d])
    #expect(balancer.pick(from: [a, d], now: .zero) == d)
    balancer.callStarted(d)
    // While the probe is in flight the newcomer carries Finagle's penalty.
    #expect(tally((0..<20).map { _ in balancer.pick(from: [a, d], now: .zero) }) == ["a": 20])
    balancer.callFinished(d, latency: .milliseconds(1), outcome: .success, now: .milliseconds(1))
    #expect(balancer.pick(from: [a, d], now: .milliseconds(1)) == d)
  }

  @Test func failuresNeverLowerTheEstimateAndCancellationsAreIgnored() throws {
    let a = instance("a")
    let balancer = balancer()
    record(balancer, a, .milliseconds(100), at: .zero)
    record(balancer, a, .milliseconds(1), at: .zero, outcome: .failure(.connectFailed))
    #expect(try #require(balancer.cost(of: a, now: .zero)) >= 1e8)
    record(balancer, a, .milliseconds(1), at: .seconds(5), outcome: .failure(.cancelled))
    record(balancer, a, .milliseconds(1), at: .seconds(5), outcome: .declaredError)
    // The declared error counts as a sample; the cancellation did not reset the stamp.
    let w = PeakEWMA.exponential(-5)
    let expected = 1e8 * w + 1e6 * (1 - w)
    #expect(abs(try #require(balancer.cost(of: a, now: .seconds(5))) - expected) < 1e-3)
    #expect(balancer.inFlight(a) == 0)
  }

  @Test func singleCandidateZeroWeightAndEmpty() {
    let (a, b) = (instance("a", weight: 0), instance("b"))
    let balancer = balancer()
    #expect(balancer.pick(from: [], now: .zero) == nil)
    #expect(balancer.pick(from: [a], now: .zero) == a)
    #expect(tally((0..<50).map { _ in balancer.pick(from: [a, b], now: .zero) }) == ["b": 50])
  }

  @Test func sameSeedSameChoices() {
    let all = (0..<8).map { instance("h\($0)") }
    let one = balancer(seed: 99)
    let two = balancer(seed: 99)
    let first = (0..<200).map { _ in one.pick(from: all, now: .zero)!.host }
    let second = (0..<200).map { _ in two.pick(from: all, now: .zero)!.host }
    #expect(first == second)
    #expect(Set(first).count == 8)
  }

  @Test func updateKeepsStateOfInstancesThatStay() {
    let (a, b, c) = (instance("a"), instance("b"), instance("c"))
    let balancer = balancer()
    balancer.update([a, b])
    record(balancer, a, .milliseconds(10), at: .zero)
    balancer.callStarted(a)
    balancer.callStarted(a)
    var reweighted = a
    reweighted.weight = 200
    balancer.update([reweighted, b, c])
    #expect(balancer.inFlight(a) == 2)
    #expect(balancer.cost(of: a, now: .zero) == 1e7)
    balancer.update([b, c])
    #expect(balancer.inFlight(a) == 0)
    #expect(balancer.cost(of: a, now: .zero) == nil)
    // A call that was in flight when its instance left finishes harmlessly.
    balancer.callFinished(a, latency: .milliseconds(5), outcome: .success, now: .zero)
    #expect(balancer.inFlight(a) == 0)
  }
}
