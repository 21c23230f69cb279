import Testing
import WeaverCore
import WeaverGovernance

@Suite struct InstanceRouterTests {
  private let fleet = [
    instance("a1"), instance("a2"), instance("a3"),
    instance("c1", release: "canary"), instance("c2", release: "canary"),
    instance("s1", release: "stable"),
  ]

  private func route(
    _ instances: [Instance], _ request: RouteRequest, _ rules: RoutingRules = RoutingRules(),
    unhealthy: Set<String> = []
  ) -> RouteDecision {
    InstanceRouter.route(instances, request: request, rules: rules) { !unhealthy.contains($0.host) }
  }

  private func hosts(_ decision: RouteDecision) -> [String] { decision.candidates.map(\.host) }

  // MARK: Release tag

  @Test func taggedRequestGoesToItsTag() {
    let decision = route(fleet, RouteRequest(releaseTag: "canary"))
    #expect(hosts(decision) == ["c1", "c2"])
    #expect(decision.steps.first == "release tag canary: 2 of 6 instances")
  }

  @Test func tagWithoutHealthyInstanceFallsBack() {
    let down: Set<String> = ["c1", "c2"]
    let request = RouteRequest(releaseTag: "canary")
    var rules = RoutingRules()

    rules.tagFallback = .untagged
    var decision = route(fleet, request, rules, unhealthy: down)
    #expect(hosts(decision) == ["a1", "a2", "a3"])
    #expect(decision.steps.first == "tag canary has no healthy instance: fallback untagged (3 of 6)")

    rules.tagFallback = .tag("stable")
    #expect(hosts(route(fleet, request, rules, unhealthy: down)) == ["s1"])

    rules.tagFallback = .any
    #expect(hosts(route(fleet, request, rules, unhealthy: down)) == ["a1", "a2", "a3", "s1"])

    rules.tagFallback = .fail
    decision = route(fleet, request, rules, unhealthy: down)
    #expect(decision.candidates.isEmpty)
    #expect(decision.steps == ["tag canary has no healthy instance: fail"])
  }

  @Test func unknownTagFallsBack() {
    let decision = route(fleet, RouteRequest(releaseTag: "blue"))
    #expect(hosts(decision) == ["a1", "a2", "a3"])
    #expect(decision.steps.first == "tag blue has no instance: fallback untagged (3 of 6)")
  }

  @Test func untaggedRequestAvoidsTaggedInstances() {
    var rules = RoutingRules()
    #expect(hosts(route(fleet, RouteRequest(), rules)) == ["a1", "a2", "a3"])
    // No untagged instance at all, or none healthy: everything.
    let taggedOnly = Array(fleet.dropFirst(3))
    #expect(hosts(route(taggedOnly, RouteRequest(), rules)) == ["c1", "c2", "s1"])
    #expect(route(taggedOnly, RouteRequest(), rules).steps.first == "no untagged instance: all 3")
    #expect(hosts(route(fleet, RouteRequest(), rules, unhealthy: ["a1", "a2", "a3"])) == ["c1", "c2", "s1"])

    rules.untaggedAvoidTagged = false
    #expect(hosts(route(fleet, RouteRequest(), rules)) == fleet.map(\.host))
  }

  @Test func releaseTagsOff() {
    var rules = RoutingRules()
    rules.releaseTagEnabled = false
    #expect(hosts(route(fleet, RouteRequest(releaseTag: "canary"), rules)) == fleet.map(\.host))
    #expect(hosts(route(fleet, RouteRequest(), rules)) == fleet.map(\.host))
  }

  @Test func customLabelAndEmptyTagCountAsUntagged() {
    var rules = RoutingRules()
    rules.releaseTagLabel = "lane"
    let instances = [
      Instance(host: "x", port: 1, tags: ["lane": "blue"]),
      Instance(host: "y", port: 1, tags: ["lane": ""]),
      Instance(host: "z", port: 1, tags: ["release": "canary"]),
    ]
    #expect(hosts(route(instances, RouteRequest(releaseTag: "blue"), rules)) == ["x"])
    #expect(hosts(route(instances, RouteRequest(), rules)) == ["y", "z"])
  }

  // MARK: Region affinity

  private let spread = [
    instance("z1a", region: "r1", zone: "z1"), instance("z1b", region: "r1", zone: "z1"),
    instance("z2a", region: "r1", zone: "z2"), instance("z2b", region: "r1", zone: "z2"),
    instance("z3a", region: "r2", zone: "z3"), instance("z3b", region: "r2", zone: "z3"),
  ]

  private var affinity: RoutingRules {
    var rules = RoutingRules()
    rules.regionAffinity = true
    rules.regionMinHealthyPercent = 50
    return rules
  }

  private let caller = RouteRequest(region: "r1", zone: "z1")

  @Test func zoneKeptAtExactlyTheMinimum() {
    let decision = route(spread, caller, affinity, unhealthy: ["z1b"])
    #expect(hosts(decision) == ["z1a"])
    #expect(decision.steps.contains("zone z1: 1/2 healthy"))
  }

  @Test func zoneBelowTheMinimumGoesToTheRegion() {
    let decision = route(spread, caller, affinity, unhealthy: ["z1a", "z1b"])
    #expect(hosts(decision) == ["z2a", "z2b"])
    #expect(decision.steps.contains("zone z1: 0/2 healthy < 50%: region r1: 2/4 healthy"))

    let three = spread + [instance("z1c", region: "r1", zone: "z1")]
    let partly = route(three, caller, affinity, unhealthy: ["z1a", "z1b"])
    #expect(hosts(partly) == ["z2a", "z2b", "z1c"])
    #expect(partly.steps.contains("zone z1: 1/3 healthy < 50%: region r1: 3/5 healthy"))
  }

  @Test func regionBelowTheMinimumGoesEverywhere() {
    let decision = route(spread, caller, affinity, unhealthy: ["z1a", "z1b", "z2a"])
    #expect(hosts(decision) == ["z2b", "z3a", "z3b"])
    #expect(decision.steps.contains("zone z1: 0/2 healthy < 50%: region r1: 1/4 healthy < 50%: all 6"))
  }

  @Test func unknownZoneAndRegionOnlyAndAffinityOff() {
    let elsewhere = route(spread, RouteRequest(region: "r9", zone: "z9"), affinity)
    #expect(hosts(elsewhere) == spread.map(\.host))
    #expect(elsewhere.steps.contains("zone z9: no instance: region r9: no instance: all 6"))
    #expect(hosts(route(spread, RouteRequest(region: "r2"), affinity)) == ["z3a", "z3b"])
    #expect(hosts(route(spread, caller)) == spread.map(\.host))
  }

  @Test func affinityWorksInsideTheReleaseTagGroup() {
    let instances = [
      instance("c-z1", region: "r1", zone: "z1", release: "canary"),
      instance("c-z2", region: "r1", zone: "z2", release: "canary"),
      instance("u-z1", region: "r1", zone: "z1"),
    ]
    let request = RouteRequest(releaseTag: "canary", region: "r1", zone: "z1")
    #expect(hosts(route(instances, request, affinity)) == ["c-z1"])
  }

  // MARK: Protection threshold

  private let five = (1...5).map { instance("p\($0)") }

  @Test func protectionThresholdUsesEveryInstanceBelowIt() {
    var rules = RoutingRules()
    rules.protectionThreshold = 30
    let decision = route(five, RouteRequest(), rules, unhealthy: ["p1", "p2", "p3", "p4"])
    #expect(hosts(decision) == five.map(\.host))
    #expect(decision.steps.last == "protection threshold: 1/5 healthy < 30%: all 5")
  }

  @Test func protectionThresholdBoundaryKeepsHealthyOnly() {
    var rules = RoutingRules()
    rules.protectionThreshold = 40
    let decision = route(five, RouteRequest(), rules, unhealthy: ["p1", "p2", "p3"])
    #expect(hosts(decision) == ["p4", "p5"])
    #expect(decision.steps.last == "healthy: 2 of 5")
    rules.protectionThreshold = 40.5
    #expect(hosts(route(five, RouteRequest(), rules, unhealthy: ["p1", "p2", "p3"])).count == 5)
  }

  @Test func thresholdOffWithNoHealthyInstanceTriesThemAll() {
    let decision = route(five, RouteRequest(), RoutingRules(), unhealthy: Set(five.map(\.host)))
    #expect(hosts(decision) == five.map(\.host))
    #expect(decision.steps.last == "no healthy instance: all 5")
    let partly = route(five, RouteRequest(), RoutingRules(), unhealthy: ["p1"])
    #expect(hosts(partly) == ["p2", "p3", "p4", "p5"])
  }

  @Test func noInstances() {
    let decision = route([], RouteRequest(releaseTag: "canary"))
    #expect(decision.candidates.isEmpty)
    #expect(decision.steps.last == "no instance")
  }

  @Test func healthIsAskedOncePerInstance() {
    var asked = 0
    _ = InstanceRouter.route(fleet, request: RouteRequest(releaseTag: "canary", zone: "z1"), rules: affinity) { _ in
      asked += 1
      return true
    }
    #expect(asked == fleet.count)
  }
}
