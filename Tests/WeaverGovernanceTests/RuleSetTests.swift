import Foundation
import Testing
import WeaverCore
@testable import WeaverGovernance

@Suite struct RuleSetTests {
  @Test func theProductsOwnExampleIsValidAsWritten() throws {
    let yaml = """
      circuitBreaker:
        failureRateThreshold: 60%      # open when more than 60 % of calls fail
        minimumRequestThreshold: 20    # at least 20 calls in the 10 s window
        waitDurationInOpenState: 60s   # then half-open trials
      """
    let breaker = try RuleSet(service: "FeedService", parsing: yaml, file: "service.yaml").rules(for: "getFeed").circuitBreaker
    #expect(breaker.failureRateThreshold == 60)
    #expect(breaker.minimumRequests == 20)
    #expect(breaker.openDuration == .seconds(60))
    #expect(breaker.window == .seconds(10))
  }

  @Test func kitexStyleNamesMeanTheSame() throws {
    let yaml = """
      circuitBreaker:
        errorPercent: 30%
        sleepWindow: 60s
      """
    let breaker = try RuleSet(service: "S", parsing: yaml, file: "service.yaml").serviceRules.circuitBreaker
    #expect(breaker.failureRateThreshold == 30)
    #expect(breaker.openDuration == .seconds(60))
  }

  @Test func aBadValueIsReportedWithItsPathAndPlace() {
    let yaml = """
      circuitBreaker:
        minimumRequestThreshold: 20
        failureRateThreshold: 160%
      """
    let error = #expect(throws: RuleSetError.self) { try RuleSet(service: "S", parsing: yaml, file: "service.yaml") }
    #expect(error?.description == "service.yaml:3:25: error: circuitBreaker.failureRateThreshold: 160% is not a percentage")
  }

  @Test func everyProblemIsReportedAtOnce() {
    let yaml = """
      circuitBreaker:
        failureRate: 50%
        window: 10
      retry:
        maxAttempts: 0
        retryOn: [connectFailed, timeout]
      methods:
        getFeed:
          limits: {qps: fast}
      """
    let error = #expect(throws: RuleSetError.self) { try RuleSet(service: "S", parsing: yaml, file: "f.yaml") }
    let lines = error?.description.split(separator: "\n").map(String.init) ?? []
    #expect(lines == [
      "f.yaml:2:3: error: circuitBreaker.failureRate: unknown key (did you mean 'failureRateThreshold'?)",
      "f.yaml:3:11: error: circuitBreaker.window: 10 needs a unit (250ms, 10s, 2m)",
      "f.yaml:5:16: error: retry.maxAttempts: 0 is out of range (1…10)",
      "f.yaml:6:28: error: retry.retryOn[1]: 'timeout' is not an error code",
      "f.yaml:9:19: error: methods.getFeed.limits.qps: fast is not a number in 0.001…10000000",
    ])
  }

  @Test func contradictionsAreRejected() {
    let yaml = """
      retry:
        hedgingDelay: 50ms
      methods:
        getFeed:
          retry: {backoffBase: 2s, backoffMax: 1s}
      """
    let error = #expect(throws: RuleSetError.self) { try RuleSet(service: "S", parsing: yaml, file: "f.yaml") }
    let text = error?.description ?? ""
    #expect(text.contains("f.yaml:2:3: error: retry.hedgingDelay: hedging sends the call twice: only for idempotent methods"))
    #expect(!text.contains("methods.getFeed.retry.hedgingDelay"), "inherited from the service level: reported once")
    #expect(text.contains("f.yaml:5:13: error: methods.getFeed.retry.backoffBase: 2s is longer than backoffMax 1s"))
  }

  @Test func aliasAndNameTogetherIsAnError() {
    let yaml = "circuitBreaker: {errorPercent: 30%, failureRateThreshold: 40%}"
    let error = #expect(throws: RuleSetError.self) { try RuleSet(service: "S", parsing: yaml, file: "f.yaml") }
    #expect(error?.description.contains("circuitBreaker.failureRateThreshold: says the same as 'errorPercent'") == true)
  }

  @Test func brokenYAMLNamesTheLine() {
    let error = #expect(throws: RuleSetError.self) { try RuleSet(service: "S", parsing: "retry:\n  maxAttempts: [1\n", file: "f.yaml") }
    #expect(error?.problems.first?.reason.hasPrefix("not valid YAML") == true)
    #expect((error?.problems.first?.location.line ?? 0) >= 2)
  }

  @Test func methodOverridesAndLaterSourcesWinFieldByField() throws {
    let file = try RuleDocument(
      parsing: """
        retry: {maxAttempts: 3, idempotent: true}
        methods:
          postFeed:
            retry: {idempotent: false}
        """, file: "service.yaml")
    let center = try RuleDocument(parsing: #"{"retry": {"maxAttempts": 4}, "methods": {"getFeed": {"timeout": "2s"}}}"#, file: "config-center")
    var base = MethodRules()
    base.retry.backoffMax = .seconds(1)
    let rules = try RuleSet(service: "FeedService", base: base, documents: [file, center])
    #expect(rules.rules(for: "other").retry.maxAttempts == 4)
    #expect(rules.rules(for: "other").retry.idempotent)
    #expect(rules.rules(for: "other").retry.backoffMax == .seconds(1))
    #expect(rules.rules(for: "postFeed").retry.idempotent == false)
    #expect(rules.rules(for: "postFeed").retry.maxAttempts == 4)
    #expect(rules.rules(for: "getFeed").timeout == .seconds(2))
    #expect(rules.rules(for: "getFeed").retry.maxAttempts == 4)
  }

  @Test func everyConcernCanBeWritten() throws {
    let yaml = """
      service: FeedService
      timeout: 3s
      circuitBreaker: {mode: automatic, window: 20s, buckets: 20, slowCallRateThreshold: 50%, slowCallDurationThreshold: 300ms,
                       consecutiveFailures: 5, openDurationMultiplier: 2, maxWaitDurationInOpenState: 5m,
                       permittedCallsInHalfOpenState: 3, successesToClose: 2, recordFailures: [deadlineExceeded, serverError]}
      instanceBreaker: {consecutiveFailures: 3, maxEjectionPercent: 34%}
      retry: {maxAttempts: 3, idempotent: true, perTryTimeout: 500ms, budgetPercent: 10%, hedgingDelay: 80ms}
      limits: {qps: 500, burst: 100, maxInFlight: 64, clientMaxInFlight: 32}
      loadBalancer: {policy: consistentHash, hashKey: user, boundedLoadFactor: 1.5}
      routing:
        releaseTag: {key: release, fallback: tag, fallbackTag: stable}
        region: {enabled: true, minHealthyPercent: 60%}
        protectionThreshold: 30%
      faults:
        - {releaseTag: chaos, delay: 100ms, delayPercent: 10%}
        - {caller: gateway, abort: unavailable, abortPercent: 5%}
      degrade: {mode: failFast, message: feed is resting}
      """
    let set = try RuleSet(service: "FeedService", parsing: yaml, file: "service.yaml")
    let rules = set.serviceRules
    #expect(set.documents.first?.service == "FeedService")
    #expect(rules.timeout == .seconds(3))
    #expect(rules.circuitBreaker.slowCallRateThreshold == 50)
    #expect(rules.circuitBreaker.countedFailures == [.deadlineExceeded, .serverError])
    #expect(rules.instanceBreaker.maxEjectionPercent == 34)
    #expect(rules.retry.hedgingDelay == .milliseconds(80))
    #expect(rules.limits.serverQPS == 500)
    #expect(rules.loadBalancer.policy == .consistentHash)
    #expect(rules.routing.tagFallback == .tag("stable"))
    #expect(rules.routing.regionAffinity)
    #expect(rules.faults.count == 2)
    #expect(rules.faults[1].abort == .unavailable)
    #expect(rules.degrade.mode == .failFast)
  }

  @Test func theSchemaIsJSONAndNamesEveryField() throws {
    let schema = RuleReference.jsonSchema()
    let object = try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any]
    let properties = object?["properties"] as? [String: Any]
    #expect(properties?["circuitBreaker"] != nil)
    #expect(properties?["methods"] != nil)
    let breaker = (properties?["circuitBreaker"] as? [String: Any])?["properties"] as? [String: Any]
    #expect(breaker?["errorPercent"] != nil)
    #expect(breaker?["failureRateThreshold"] != nil)
  }

  @Test func explainMarksWhatTheRulesChanged() throws {
    let set = try RuleSet(service: "S", parsing: "methods: {getFeed: {retry: {maxAttempts: 3}}}", file: "f.yaml")
    let text = RuleReference.explain(set.rules(for: "getFeed"))
    #expect(text.contains("  maxAttempts: 3   # set"))
    #expect(text.contains("  failureRateThreshold: 50%\n"))
  }
}

@Suite struct HostileRuleFileTests {
  @Test func aYAMLAliasBombIsRefusedNotExpanded() {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
    let started = ContinuousClock.now
    let error = #expect(throws: RuleSetError.self) { try RuleDocument(parsing: yaml, file: "bomb.yaml") }
    #expect(error?.description.contains("more than 100000 values") == true)
    #expect(started.duration(to: .now) < .seconds(5))
  }

  @Test func aHugeFileIsRefused() {
    let yaml = "retry: {maxAttempts: 2}\n# " + String(repeating: "x", count: RuleTree.maxBytes) + "\n"
    let error = #expect(throws: RuleSetError.self) { try RuleDocument(parsing: yaml, file: "huge.yaml") }
    #expect(error?.description.contains("a rule file may hold 1048576 at most") == true)
  }

  @Test func extremeNumbersAreRejectedOrSafe() throws {
    let error = #expect(throws: RuleSetError.self) {
      try RuleDocument(parsing: "limits: {qps: 0.001, burst: 1000000000000000000}", file: "f.yaml")
    }
    #expect(error?.description.contains("limits.burst") == true)
    let rules = try RuleSet(service: "S", parsing: "limits: {qps: 0.001, burst: 1000000000}", file: "f.yaml")
    let bucket = try #require(TokenBucket(limits: rules.serviceRules.limits))
    #expect(bucket.tryTake(now: .seconds(1)))
  }

  @Test func serviceWideRulesUnderAMethodAreErrors() {
    let yaml = "methods:\n  get:\n    instanceBreaker: {consecutiveFailures: 2}\n    retry: {budgetPercent: 50%}\n"
    let error = #expect(throws: RuleSetError.self) { try RuleDocument(parsing: yaml, file: "f.yaml") }
    #expect(error?.description.contains("f.yaml:3:5: error: methods.get.instanceBreaker: applies to the whole service") == true)
    #expect(error?.description.contains("methods.get.retry.budgetPercent: applies to the whole service") == true)
  }
}

@Suite struct OffSpellingTests {
  @Test func offNullAndFalseAllTurnARuleOff() throws {
    for spelling in ["off", "null", "false", "~"] {
      let rules = try RuleSet(service: "S", parsing: "retry: {hedgingDelay: \(spelling)}\ndegrade: {mode: \(spelling == "~" || spelling == "null" ? "off" : spelling)}", file: "f.yaml")
      #expect(rules.serviceRules.retry.hedgingDelay == nil, "\(spelling)")
      #expect(rules.serviceRules.degrade.mode == .off, "\(spelling)")
    }
  }
}
