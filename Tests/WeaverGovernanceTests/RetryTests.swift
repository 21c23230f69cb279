import Testing
import WeaverGovernance

private func budgetRules(percent: Double, minPerSecond: Int, window: Duration = .seconds(10)) -> RetryRules {
  var rules = RetryRules()
  rules.budgetPercent = percent
  rules.budgetMinPerSecond = minPerSecond
  rules.budgetWindow = window
  return rules
}

@Suite struct RetryBudgetTests {
  private func withdrawn(_ budget: RetryBudget, at now: Duration) -> Int {
    (0..<1000).count { _ in budget.tryWithdraw(now: now) }
  }

  @Test func theFloorAllowsRetriesWithoutTraffic() {
    let budget = RetryBudget()  // 3 per second over 10 s
    #expect(withdrawn(budget, at: .seconds(1)) == 30)
  }

  @Test func theRatioFollowsTheRequests() {
    let budget = RetryBudget(rules: budgetRules(percent: 20, minPerSecond: 0))
    #expect(!budget.tryWithdraw(now: .zero))
    for _ in 0..<100 { budget.recordRequest(now: .seconds(1)) }
    #expect(withdrawn(budget, at: .seconds(1)) == 20)
    for _ in 0..<5 { budget.recordRequest(now: .seconds(2)) }
    #expect(withdrawn(budget, at: .seconds(2)) == 1)  // 20% of 105 is 21
    #expect(budget.counts(now: .seconds(2)) == (requests: 105, retries: 21))
  }

  @Test func theLargerOfFloorAndRatioApplies() {
    let budget = RetryBudget(rules: budgetRules(percent: 10, minPerSecond: 1))  // floor 10
    for _ in 0..<50 { budget.recordRequest(now: .zero) }  // 10% is 5
    #expect(withdrawn(budget, at: .zero) == 10)
    for _ in 0..<150 { budget.recordRequest(now: .zero) }  // 10% of 200 is 20
    #expect(withdrawn(budget, at: .zero) == 10)
  }

  @Test func oldRequestsAndRetriesLeaveTheWindow() {
    let budget = RetryBudget(rules: budgetRules(percent: 50, minPerSecond: 0))
    for _ in 0..<10 { budget.recordRequest(now: .zero) }
    #expect(withdrawn(budget, at: .zero) == 5)
    #expect(withdrawn(budget, at: .seconds(10)) == 0)  // the requests left with the retries
    for _ in 0..<4 { budget.recordRequest(now: .seconds(10)) }
    #expect(withdrawn(budget, at: .seconds(10)) == 2)
  }

  @Test func rulesChangeLive() {
    let budget = RetryBudget(rules: budgetRules(percent: 20, minPerSecond: 0))
    for _ in 0..<10 { budget.recordRequest(now: .zero) }
    #expect(withdrawn(budget, at: .zero) == 2)
    budget.update(rules: budgetRules(percent: 50, minPerSecond: 0))
    #expect(withdrawn(budget, at: .zero) == 3)  // counts kept: 5 of 10
    budget.update(rules: budgetRules(percent: 50, minPerSecond: 0, window: .seconds(5)))
    #expect(budget.counts(now: .zero) == (requests: 0, retries: 0))
    #expect(budget.rules.budgetWindow == .seconds(5))
  }
}

@Suite struct RetryBackoffTests {
  @Test func ceilingsDoubleUpToTheMaximum() {
    let rules = RetryRules()  // 25 ms base, 250 ms max
    let ceilings = (1...7).map { RetryBackoff.ceiling(beforeAttempt: $0, rules: rules) }
    #expect(ceilings == [.zero, .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(250), .milliseconds(250)])
    #expect(RetryBackoff.ceiling(beforeAttempt: .max, rules: rules) == .milliseconds(250))
    #expect(RetryBackoff.ceiling(beforeAttempt: 0, rules: rules) == .zero)
  }

  @Test func delaysStayInBounds() {
    var random = SplitMix64(seed: 7)
    let rules = RetryRules()
    for attempt in 2...8 {
      let ceiling = RetryBackoff.ceiling(beforeAttempt: attempt, rules: rules)
      var longest = Duration.zero
      for _ in 0..<500 {
        let delay = RetryBackoff.delay(beforeAttempt: attempt, rules: rules, using: &random)
        #expect(delay >= .zero && delay < ceiling)
        longest = max(longest, delay)
      }
      #expect(longest > ceiling * 0.9)  // full jitter spreads over the whole range
    }
    #expect(RetryBackoff.delay(beforeAttempt: 1, rules: rules, using: &random) == .zero)
  }

  @Test func aSeededGeneratorRepeatsItsDelays() {
    var first = SplitMix64(seed: 99)
    var second = SplitMix64(seed: 99)
    let rules = RetryRules()
    let a = (2...6).map { RetryBackoff.delay(beforeAttempt: $0, rules: rules, using: &first) }
    let b = (2...6).map { RetryBackoff.delay(beforeAttempt: $0, rules: rules, using: &second) }
    #expect(a == b)
  }

  @Test func zeroBaseMeansNoWait() {
    var rules = RetryRules()
    rules.backoffBase = .zero
    var random = SplitMix64(seed: 1)
    #expect(RetryBackoff.delay(beforeAttempt: 3, rules: rules, using: &random) == .zero)
  }
}

@Suite struct SplitMix64Tests {
  @Test func matchesTheReferenceSequence() {
    var random = SplitMix64(seed: 1_234_567)
    #expect(random.next() == 6_457_827_717_110_365_317)
    #expect(random.next() == 3_203_168_211_198_807_973)
    #expect(random.next() == 9_817_491_932_198_370_423)
  }
}
