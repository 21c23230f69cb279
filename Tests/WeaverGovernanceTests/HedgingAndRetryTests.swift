import Synchronization
import Testing
import WeaverCore
import WeaverGovernance
import WeaverTesting

/// Hedging, per-try timeouts and chain stop through `ClientGovernor.run`, with a manual
/// clock: the test decides when time passes.
@Suite struct HedgingAndRetryTests {
  static func governor(_ yaml: String, clock: ManualClock) throws -> ClientGovernor {
    let rules = RuleStore(service: "S")
    try rules.set(RuleDocument(parsing: yaml, file: "t.yaml"), layer: .file)
    return ClientGovernor(rules: rules, time: TimeSource(clock), random: GovernanceRandom(seed: 1))
  }

  final class Attempts: Sendable {
    let started = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
    let contexts = Mutex<[CallContext]>([])
  }

  @Test func aBackupAttemptGoesOutAfterTheHedgingDelayAndTheFirstReplyWins() async throws {
    let clock = ManualClock()
    let governor = try Self.governor("retry: {maxAttempts: 2, idempotent: true, hedgingDelay: 50ms}", clock: clock)
    let attempts = Attempts()
    async let reply: String = governor.run("ping", context: CallContext(service: "S", method: "get")) { (_: String, _: CallContext) in
      let number = attempts.started.wrappingAdd(1, ordering: .relaxed).newValue
      if number == 1 {
        do {
          try await Task.sleep(for: .seconds(60))  // the first attempt hangs
        } catch {
          attempts.cancelled.wrappingAdd(1, ordering: .relaxed)
          throw error
        }
      }
      return "reply \(number)"
    }
    while clock.sleeperCount == 0 { await Task.yield() }  // the hedge timer waits
    #expect(attempts.started.load(ordering: .relaxed) == 1)
    clock.advance(by: .milliseconds(50))
    #expect(try await reply == "reply 2")
    #expect(attempts.cancelled.load(ordering: .relaxed) == 1, "the slower attempt is cancelled")
  }

  @Test func hedgingIsOffForMethodsNotMarkedIdempotent() async throws {
    let clock = ManualClock()
    let governor = try Self.governor(
      "retry: {maxAttempts: 2, idempotent: true, hedgingDelay: 50ms}\nmethods: {post: {retry: {idempotent: false, hedgingDelay: off}}}",
      clock: clock)
    let attempts = Attempts()
    let reply = try await governor.run("x", context: CallContext(service: "S", method: "post")) { (_: String, _: CallContext) in
      attempts.started.wrappingAdd(1, ordering: .relaxed)
      return "once"
    }
    #expect(reply == "once")
    #expect(attempts.started.load(ordering: .relaxed) == 1)
    #expect(clock.sleeperCount == 0)
  }

  @Test func aRetriedAttemptCarriesTheChainStopMarkAndACallThatIsARetryIsNotRetried() async throws {
    let clock = ManualClock()
    let governor = try Self.governor("retry: {maxAttempts: 3, backoffBase: 0s, backoffMax: 0s}", clock: clock)
    let attempts = Attempts()
    let attempt: @Sendable (String, CallContext) async throws -> String = { _, context in
      attempts.contexts.withLock { $0.append(context) }
      if attempts.started.wrappingAdd(1, ordering: .relaxed).newValue < 3 { throw RPCError(.connectFailed, "refused") }
      return "third time"
    }
    #expect(try await governor.run("x", context: CallContext(service: "S", method: "get"), attempt: attempt) == "third time")
    let marks = attempts.contexts.withLock { $0.map { $0.metadata.persistent[ClientGovernor.retryMetadataKey] } }
    #expect(marks == [nil, "1", "2"])

    // Serving a retried call: its own downstream calls carry the mark and are not retried.
    attempts.started.store(0, ordering: .relaxed)
    var downstream = CallContext(service: "S", method: "get")
    downstream.metadata.persistent[ClientGovernor.retryMetadataKey] = "1"
    await #expect(throws: RPCError.self) { try await governor.run("x", context: downstream, attempt: attempt) }
    #expect(attempts.started.load(ordering: .relaxed) == 1)
  }

  @Test func aDegradeSwitchAnswersWithTheRegisteredFallbackOrFailsFast() async throws {
    let rules = RuleStore(service: "S")
    try rules.set(
      RuleDocument(parsing: "methods: {get: {degrade: {mode: fallback, fallback: cached}}, post: {degrade: {mode: failFast, message: resting}}}", file: "d.yaml"),
      layer: .file)
    let fallbacks = Fallbacks()
    fallbacks.register("cached") { (request: String) in "cached \(request)" }
    let governor = ClientGovernor(rules: rules, fallbacks: fallbacks)
    let never: @Sendable (String, CallContext) async throws -> String = { _, _ in Issue.record("no attempt"); return "" }
    #expect(try await governor.run("feed", context: CallContext(service: "S", method: "get"), attempt: never) == "cached feed")
    let error = await #expect(throws: RPCError.self) { try await governor.run("x", context: CallContext(service: "S", method: "post"), attempt: never) }
    #expect(error?.code == .degraded)
    #expect(error?.message == "resting")
  }

  @Test func anInjectedAbortFailsMatchingCallsOnly() async throws {
    let rules = RuleStore(service: "S")
    try rules.set(RuleDocument(parsing: "faults: [{releaseTag: chaos, abort: unavailable, abortPercent: 100%}]", file: "f.yaml"), layer: .file)
    let governor = ClientGovernor(rules: rules)
    let ok: @Sendable (String, CallContext) async throws -> String = { _, _ in "ok" }
    #expect(try await governor.run("x", context: CallContext(service: "S", method: "get"), attempt: ok) == "ok")
    let chaos = CallContext(service: "S", method: "get", metadata: Metadata(persistent: ["release": "chaos"]))
    let error = await #expect(throws: RPCError.self) { try await governor.run("x", context: chaos, attempt: ok) }
    #expect(error?.code == .unavailable)
    #expect(error?.message.hasPrefix("injected fault") == true)
  }
}

@Suite struct HedgedRetryTests {
  @Test func aFailedAttemptIsRetriedAtOnceWhenHedgingAndTheReplyWins() async throws {
    let clock = ManualClock()
    let governor = try HedgingAndRetryTests.governor(
      "retry: {maxAttempts: 3, idempotent: true, hedgingDelay: 50ms, backoffBase: 0s, backoffMax: 0s}", clock: clock)
    let attempts = HedgingAndRetryTests.Attempts()
    let reply = try await governor.run("x", context: CallContext(service: "S", method: "get")) { (_: String, _: CallContext) in
      let number = attempts.started.wrappingAdd(1, ordering: .relaxed).newValue
      if number == 1 { throw RPCError(.connectFailed, "refused") }
      return "reply \(number)"
    }
    #expect(reply == "reply 2", "the retry went out without waiting for the hedging delay")
    #expect(attempts.started.load(ordering: .relaxed) == 2)
  }

  @Test func whenEveryAttemptFailsTheLastErrorIsThrown() async throws {
    let clock = ManualClock()
    let governor = try HedgingAndRetryTests.governor(
      "retry: {maxAttempts: 2, idempotent: true, hedgingDelay: 50ms, backoffBase: 0s, backoffMax: 0s}", clock: clock)
    let error = await #expect(throws: RPCError.self) {
      try await governor.run("x", context: CallContext(service: "S", method: "get")) { (_: String, _: CallContext) async throws -> String in
        throw RPCError(.connectFailed, "refused")
      }
    }
    #expect(error?.code == .connectFailed)
  }
}
