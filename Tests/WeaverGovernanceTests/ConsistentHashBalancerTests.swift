import Testing
import WeaverCore
@testable import WeaverGovernance

@Suite struct ConsistentHashBalancerTests {
  private let keys = (0..<10_000).map { "user-\($0)" }

  private func owners(_ balancer: ConsistentHashBalancer, _ candidates: [Instance]) -> [String: String] {
    var owners: [String: String] = [:]
    for key in keys { owners[key] = balancer.pick(from: candidates, hashKey: key, now: .zero)?.host }
    return owners
  }

  @Test func sameKeySameInstance() {
    let all = (0..<5).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    for key in keys.prefix(100) {
      let first = balancer.pick(from: all, hashKey: key, now: .zero)
      for _ in 0..<3 { #expect(balancer.pick(from: all, hashKey: key, now: .zero) == first) }
    }
    // Another balancer (another client) with the instances in another order agrees.
    let other = ConsistentHashBalancer()
    other.update(all.reversed())
    #expect(owners(balancer, all) == owners(other, all.reversed()))
  }

  @Test func removingAnInstanceMovesOnlyItsKeys() {
    let all = (0..<10).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    let before = owners(balancer, all)
    let spread = tally(before.values.map { instance($0) })
    #expect(spread.values.allSatisfy { (600...1_400).contains($0) })

    let remaining = all.filter { $0.host != "h3" }
    balancer.update(remaining)
    let after = owners(balancer, remaining)
    let moved = keys.filter { before[$0] != after[$0] }
    #expect(moved.allSatisfy { before[$0] == "h3" })
    #expect(moved.count == spread["h3"])
    #expect((600...1_400).contains(moved.count))

    // Leaving the candidates (a breaker opened) without leaving discovery: the same.
    balancer.update(all)
    #expect(owners(balancer, remaining) == after)
    #expect(owners(balancer, all) == before)
  }

  @Test func addingAnInstanceTakesKeysOnlyForItself() {
    let all = (0..<10).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    let before = owners(balancer, all)
    let grown = all + [instance("h10")]
    balancer.update(grown)
    let after = owners(balancer, grown)
    let moved = keys.filter { before[$0] != after[$0] }
    #expect(moved.allSatisfy { after[$0] == "h10" })
    #expect((500...1_400).contains(moved.count))
  }

  @Test func weightScalesTheShareOfKeys() {
    let all = [instance("light", weight: 100), instance("heavy", weight: 300)]
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    let counts = tally(owners(balancer, all).values.map { instance($0) })
    #expect((6_500...8_500).contains(counts["heavy", default: 0]))
    #expect(HashRing.virtualNodes(weight: 100) == 100)
    #expect(HashRing.virtualNodes(weight: 0) == 1)
    #expect(HashRing.virtualNodes(weight: 1) == 1)
    #expect(HashRing.virtualNodes(weight: 1_000_000) == HashRing.maxNodes)
  }

  @Test func boundedLoadCapsEveryInstance() {
    let all = (0..<5).map { instance("h\($0)") }
    let factor = 1.25
    let balancer = ConsistentHashBalancer(boundedLoadFactor: factor)
    balancer.update(all)
    var load: [String: Int] = [:]
    // A hot key: every call carries it, none finishes.
    for total in 1...1_000 {
      let pick = balancer.pick(from: all, hashKey: "hot", now: .zero)!
      balancer.callStarted(pick)
      load[pick.host, default: 0] += 1
      let cap = Int((factor * Double(total) / Double(all.count)).rounded(.up))
      #expect(load.values.allSatisfy { $0 <= cap })
    }
    #expect(load.values.max() == 250)
    #expect(all.allSatisfy { balancer.inFlight($0) == load[$0.host, default: 0] })
  }

  @Test func boundedLoadWithManyKeysAndCallsFinishing() {
    let all = (0..<4).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer(boundedLoadFactor: 1.1)
    balancer.update(all)
    var open: [Instance] = []
    var rng = SplitMix64(seed: 3)
    for i in 0..<5_000 {
      let pick = balancer.pick(from: all, hashKey: "k\(i % 37)", now: .zero)!
      balancer.callStarted(pick)
      open.append(pick)
      if open.count > 200 {
        let done = open.remove(at: Int.random(in: 0..<open.count, using: &rng))
        balancer.callFinished(done, latency: .zero, outcome: .success, now: .zero)
      }
      let total = all.map(balancer.inFlight).reduce(0, +)
      let cap = Int((1.1 * Double(total) / Double(all.count)).rounded(.up))
      #expect(all.allSatisfy { balancer.inFlight($0) <= cap })
    }
  }

  @Test func keyStaysWhileItsInstanceIsUnderTheBound() {
    let all = (0..<4).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer(boundedLoadFactor: 2)
    balancer.update(all)
    let home = balancer.pick(from: all, hashKey: "session-42", now: .zero)!
    for other in all where other != home { balancer.callStarted(other) }
    balancer.callStarted(home)
    // 4 in flight, 1 on `home`: the bound is ceil(2 × 5 / 4) = 3.
    #expect(balancer.capacity(totalInFlight: 4, candidates: 4) == 3)
    #expect(balancer.pick(from: all, hashKey: "session-42", now: .zero) == home)
    balancer.callStarted(home)
    balancer.callStarted(home)
    // 3 on `home` of 6: the bound is ceil(2 × 7 / 4) = 4, still room.
    #expect(balancer.pick(from: all, hashKey: "session-42", now: .zero) == home)
    balancer.callStarted(home)
    // 4 of 7: bound ceil(2 × 8 / 4) = 4: full, the key spills to the next instance.
    let spilled = balancer.pick(from: all, hashKey: "session-42", now: .zero)
    #expect(spilled != home && spilled != nil)
    balancer.callFinished(home, latency: .zero, outcome: .success, now: .zero)
    #expect(balancer.pick(from: all, hashKey: "session-42", now: .zero) == home)
  }

  @Test func noKeyFallsBackToWeightedRoundRobin() {
    let all = [instance("a", weight: 200), instance("b", weight: 100)]
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    let counts = tally((0..<300).map { _ in balancer.pick(from: all, hashKey: nil, now: .zero) })
    #expect(counts == ["a": 200, "b": 100])
    #expect(balancer.pick(from: [], hashKey: nil, now: .zero) == nil)
    #expect(balancer.pick(from: [], hashKey: "k", now: .zero) == nil)
  }

  @Test func candidatesDiscoveryHasNotAnnouncedStillWork() {
    let all = (0..<3).map { instance("h\($0)") }
    let balancer = ConsistentHashBalancer()
    let first = owners(balancer, all)
    balancer.update(all)
    #expect(owners(balancer, all) == first)
  }

  @Test func weightZeroTakesNoKeys() {
    let all = [instance("a", weight: 0), instance("b"), instance("c")]
    let balancer = ConsistentHashBalancer()
    balancer.update(all)
    #expect(owners(balancer, all).values.allSatisfy { $0 != "a" })
  }

  @Test func updateKeepsInFlightOfInstancesThatStay() {
    let (a, b) = (instance("a"), instance("b"))
    let balancer = ConsistentHashBalancer()
    balancer.update([a, b])
    balancer.callStarted(a)
    balancer.callStarted(a)
    balancer.callStarted(b)
    balancer.update([a, instance("c")])
    #expect(balancer.inFlight(a) == 2)
    #expect(balancer.inFlight(b) == 0)
    balancer.callFinished(b, latency: .zero, outcome: .success, now: .zero)
    #expect(balancer.inFlight(b) == 0)
  }
}
