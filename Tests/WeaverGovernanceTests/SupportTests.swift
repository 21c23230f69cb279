import Testing
import WeaverCore
@testable import WeaverGovernance

@Suite struct SupportTests {
  @Test func splitMix64MatchesTheReferenceSequence() {
    // Vigna's splitmix64.c with seed 1234567.
    var generator = SplitMix64(seed: 1_234_567)
    let expected: [UInt64] = [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]
    #expect((0..<5).map { _ in generator.next() } == expected)
  }

  @Test func stableHashIsFNV1a() {
    #expect(StableHash.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
    #expect(StableHash.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
    #expect(StableHash.fnv1a64("foobar") == 0x8594_4171_F739_67E8)
    #expect(StableHash.hash("10.0.0.1:9000#0") != StableHash.hash("10.0.0.1:9000#1"))
  }

  @Test func exponentialWithoutFoundation() {
    let cases: [(Double, Double)] = [
      (0, 1), (-1, 0.367_879_441_171_442_33), (1, 2.718_281_828_459_045),
      (-10, 4.539_992_976_248_485e-05), (-0.5, 0.606_530_659_712_633_4), (-700, 9.859_676_543_759_77e-305),
    ]
    for (x, value) in cases {
      #expect(abs(PeakEWMA.exponential(x) - value) <= value * 1e-14, "e^\(x)")
    }
    #expect(PeakEWMA.exponential(-1_000) == 0)
    #expect(PeakEWMA.exponential(1_000) == .infinity)
  }

  @Test func factoryFollowsThePolicy() {
    var rules = LoadBalancerRules()
    #expect(makeLoadBalancer(rules: rules, seed: 1) is SmoothWeightedRoundRobin)
    rules.policy = .p2cPeakEWMA
    #expect(makeLoadBalancer(rules: rules, seed: 1) is PeakEWMABalancer)
    rules.policy = .consistentHash
    #expect(makeLoadBalancer(rules: rules, seed: 1) is ConsistentHashBalancer)
  }
}
