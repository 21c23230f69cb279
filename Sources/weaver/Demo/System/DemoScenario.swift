import AsyncHTTPClient
import Foundation
import WeaverControlPlane
import WeaverControlPlaneClient
import WeaverControlPlaneModels

/// The scripted walk through the running system, a line per step, each checked: coloured
/// calls reach the canary; a killed instance's breaker opens and calls fall back; a rule
/// published in the config center changes behaviour live and a rollback restores it; an
/// injected fault shows in a trace.
struct DemoScenario {
  let fleet: DemoFleet
  let traffic: DemoTraffic
  let controlPlane: ControlPlaneClient
  let telemetry: TelemetryStore
  let consoleURL: String

  static let feedRules = "routing:\n  releaseTag: {key: release, label: release, fallback: untagged}\ninstanceBreaker:\n  consecutiveFailures: 3\n"
  static let userRules = "routing:\n  region: {enabled: true}\n"
  static let author = "demo-scenario"

  func run() async throws {
    DemoOutput.line("\nThe scenario, step by step (watch it in the console):")
    try await colouredTrafficReachesTheCanary()
    try await aKilledInstanceTripsItsBreaker()
    try await aRulePublishedChangesBehaviourAndARollbackRestoresIt()
    try await anInjectedFaultShowsInATrace()
  }

  private func colouredTrafficReachesTheCanary() async throws {
    var plain: [DemoTraffic.Call] = []
    var coloured: [DemoTraffic.Call] = []
    for viewer in 1...10 {
      plain.append(await traffic.call(viewer: viewer % 5 + 1))
      coloured.append(await traffic.call(viewer: viewer % 5 + 1, headers: [("X-Release-Tag", "canary")]))
    }
    let plainBy = try await servedBy(plain)
    let colouredBy = try await servedBy(coloured)
    DemoOutput.line("1. 10 calls without a colour → \(Self.describe(plainBy)); 10 with X-Release-Tag: canary → \(Self.describe(colouredBy)) (read from their traces)")
    guard colouredBy == ["feed-canary": 10], plainBy == ["feed-stable": 10] else {
      throw DemoError("colour routing did not hold: plain \(plainBy), coloured \(colouredBy)")
    }
  }

  private func aKilledInstanceTripsItsBreaker() async throws {
    _ = await fleet.kill("feed-canary")
    var breaker: String?
    var failedBefore = 0
    let deadline = ContinuousClock.now.advanced(by: .seconds(20))
    while breaker == nil && ContinuousClock.now < deadline {
      if await traffic.call(viewer: 1, headers: [("X-Release-Tag", "canary")]).status != 200 { failedBefore += 1 }
      breaker = try? await openInstanceBreaker()
    }
    guard let breaker else { throw DemoError("the gateway's breaker for the killed feed-canary did not open within 20 s") }
    DemoOutput.line(
      "2. feed-canary killed (SIGKILL) → \(failedBefore) coloured call\(failedBefore == 1 ? "" : "s") failed, then the gateway's instance breaker for \(breaker) opened")
    // Until the registry marks it unhealthy (its heartbeats stop), the breaker keeps calls off it.
    var after: [DemoTraffic.Call] = []
    for viewer in 1...10 { after.append(await traffic.call(viewer: viewer % 5 + 1, headers: [("X-Release-Tag", "canary")])) }
    let answered = after.filter { $0.status == 200 }
    let fallback = try await servedBy(answered)
    let refused = after.count - answered.count
    DemoOutput.line(
      "   10 coloured calls with the breaker open → \(fallback.isEmpty ? "none answered" : Self.describe(fallback))\(refused > 0 ? ", \(refused) refused (\(Self.errorCode(after.first { $0.status != 200 }?.body ?? "")))" : "") (fallback: untagged)")
    try await fleet.startFeed("feed-canary", releaseTag: "canary")
    try await waitFor("feed-canary to register again", seconds: 20) {
      try await controlPlane.instances(service: "FeedService", healthyOnly: true).instances.contains { $0.releaseTag == "canary" }
    }
    try await waitFor("coloured calls to reach the restarted canary", seconds: 20) {
      let call = await traffic.call(viewer: 2, headers: [("X-Release-Tag", "canary")])
      return try await servedBy([call]) == ["feed-canary": 1]
    }
    DemoOutput.line("   feed-canary restarted, registered itself again, and takes the coloured calls again")
  }

  private func aRulePublishedChangesBehaviourAndARollbackRestoresIt() async throws {
    let release = try await controlPlane.publish(
      app: "FeedService", namespace: "governance",
      ConfigDraft(format: .yaml, content: Self.feedRules + "methods:\n  getFeed:\n    circuitBreaker: {mode: forcedOpen}\n"), author: Self.author,
      comment: "stop getFeed")
    var refused = DemoTraffic.Call(traceID: "", status: 0, body: "", elapsed: .zero)
    try await waitFor("the forced-open breaker to take effect", seconds: 15) {
      refused = await traffic.call(viewer: 3)
      return refused.status == 503
    }
    DemoOutput.line(
      "3. published FeedService rules release \(release.number) (getFeed's breaker forced open) → GET /feed answers \(refused.status) \(Self.errorCode(refused.body)), live, no restart")
    let rollback = try await controlPlane.rollback(app: "FeedService", namespace: "governance", RollbackRequest(author: Self.author))
    try await waitFor("the rollback to take effect", seconds: 15) { await traffic.call(viewer: 3).status == 200 }
    DemoOutput.line("4. rolled back: release \(rollback.number) brings back release \(rollback.rolledBackTo ?? 0) → GET /feed answers 200 again")
  }

  private func anInjectedFaultShowsInATrace() async throws {
    let release = try await controlPlane.publish(
      app: DemoUsers.registryName, namespace: "governance",
      ConfigDraft(format: .yaml, content: Self.userRules + "faults:\n  - delay: 300ms\n    delayPercent: 100%\n"), author: Self.author,
      comment: "inject a 300 ms delay")
    var slow = DemoTraffic.Call(traceID: "", status: 0, body: "", elapsed: .zero)
    try await waitFor("the injected delay to take effect", seconds: 15) {
      slow = await traffic.call(viewer: 4, headers: [("x-region", "eu-west")])
      return slow.status == 200 && slow.elapsed >= .milliseconds(300)
    }
    var faulted: SpanRecord?
    try await waitFor("the delayed call's trace to arrive", seconds: 15) {
      faulted = telemetry.trace(slow.traceID).first { $0.events.contains { $0.hasPrefix("weaver.fault_injected") } }
      return faulted != nil
    }
    let span = faulted!
    DemoOutput.line(
      "5. published UserService rules release \(release.number) (a 300 ms delay injected) → trace \(slow.traceID): \(span.service) \(span.name) took \(String(format: "%.0f", Double(span.durationNanos) / 1e6)) ms with event weaver.fault_injected")
    DemoOutput.line("   see it: \(consoleURL)/requests/\(slow.traceID)")
    _ = try await controlPlane.rollback(app: DemoUsers.registryName, namespace: "governance", RollbackRequest(author: Self.author))
    try await waitFor("the fault's rollback to take effect", seconds: 15) { await traffic.call(viewer: 4).elapsed < .milliseconds(300) }
    DemoOutput.line("   rolled back: UserService calls are fast again")
  }

  // MARK: Reading the system

  /// Which feed instance served each call, from the FeedService server span of its trace
  /// (waiting for the spans to be exported, up to 15 s).
  func servedBy(_ calls: [DemoTraffic.Call]) async throws -> [String: Int] {
    var counts: [String: Int] = [:]
    for call in calls {
      var instance: String?
      try await waitFor("the trace of a call", seconds: 15) {
        instance = telemetry.trace(call.traceID).first { $0.service == "FeedService" && $0.kind == "server" }?.instance
        return instance != nil
      }
      counts[instance!, default: 0] += 1
    }
    return counts
  }

  /// The instance of an open FeedService instance breaker in the gateway's runtime
  /// snapshot, if any.
  func openInstanceBreaker() async throws -> String? {
    struct Snapshot: Decodable {
      struct Breaker: Decodable {
        var service: String
        var instance: String?
        var state: String
      }
      var breakers: [Breaker]
    }
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: fleet.gatewayAdminURL + "/debug/snapshot"), timeout: .seconds(2))
    let body = try await response.body.collect(upTo: 4 << 20)
    let snapshot = try JSONDecoder().decode(Snapshot.self, from: Data(buffer: body))
    return snapshot.breakers.first { $0.service == "FeedService" && $0.instance != nil && $0.state == "open" }?.instance
  }

  static func describe(_ counts: [String: Int]) -> String {
    counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
  }

  static func errorCode(_ body: String) -> String {
    struct Answer: Decodable {
      struct Detail: Decodable { var code: String }
      var error: Detail
    }
    return (try? JSONDecoder().decode(Answer.self, from: Data(body.utf8)))?.error.code ?? ""
  }

  func waitFor(_ what: String, seconds: Int, _ condition: () async throws -> Bool) async throws {
    try await DemoWait.until(what, timeout: .seconds(seconds), interval: .milliseconds(100), condition)
  }
}
