import Testing
import WeaverCore
@testable import WeaverGovernance

@Suite struct SmoothWeightedRoundRobinTests {
  @Test func weights511GiveNginxSequence() {
    let balancer = SmoothWeightedRoundRobin()
    let all = [instance("a", weight: 5), instance("b", weight: 1), instance("c", weight: 1)]
    balancer.update(all)
    let picks = (0..<14).map { _ in balancer.pick(from: all, now: .zero)!.host }
    #expect(picks == ["a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"])
  }

  @Test func tenThousandPicksFollowTheWeightsExactly() {
    let balancer = SmoothWeightedRoundRobin()
    let all = [instance("a", weight: 50), instance("b", weight: 30), instance("c", weight: 20)]
    balancer.update(all)
    let counts = tally((0..<10_000).map { _ in balancer.pick(from: all, now: .zero) })
    #expect(counts == ["a": 5_000, "b": 3_000, "c": 2_000])
  }

  @Test func picksStayInsideTheCandidateSubset() {
    let balancer = SmoothWeightedRoundRobin()
    let all = [instance("a", weight: 300), instance("b", weight: 100), instance("c", weight: 100)]
    balancer.update(all)
    let subset = [all[1], all[2]]
    let counts = tally((0..<1_000).map { _ in balancer.pick(from: subset, now: .zero) })
    #expect(counts == ["b": 500, "c": 500])
    // Back to all of them: the full proportions again over whole cycles.
    let after = tally((0..<5_000).map { _ in balancer.pick(from: all, now: .zero) })
    #expect(abs(after["a", default: 0] - 3_000) <= 2)
  }

  @Test func weightChangeAppliesLive() {
    let balancer = SmoothWeightedRoundRobin()
    var all = [instance("a", weight: 100), instance("b", weight: 100)]
    balancer.update(all)
    let before = tally((0..<101).map { _ in balancer.pick(from: all, now: .zero) })
    #expect(abs(before["a", default: 0] - before["b", default: 0]) <= 1)
    all[1].weight = 300
    balancer.update(all)
    let after = tally((0..<4_000).map { _ in balancer.pick(from: all, now: .zero) })
    #expect(abs(after["a", default: 0] - 1_000) <= 2)
    #expect(abs(after["b", default: 0] - 3_000) <= 2)
  }

  @Test func weightZeroTakesNoneUnlessAllAreZero() {
    let balancer = SmoothWeightedRoundRobin()
    let mixed = [instance("a", weight: 0), instance("b", weight: 100)]
    #expect(tally((0..<10).map { _ in balancer.pick(from: mixed, now: .zero) }) == ["b": 10])
    let zeros = [instance("x", weight: 0), instance("y", weight: 0), instance("z", weight: 0)]
    let picks = (0..<6).map { _ in balancer.pick(from: zeros, now: .zero)!.host }
    #expect(picks == ["x", "y", "z", "x", "y", "z"])
  }

  @Test func emptyCandidatesGiveNil() {
    #expect(SmoothWeightedRoundRobin().pick(from: [], now: .zero) == nil)
  }
}
