import Foundation
import Logging
import Synchronization
import WeaverCore
import WeaverDiscovery
import WeaverExampleModels
import WeaverGovernance
import WeaverRPC

/// `weaver demo`'s governance step: three feed instances (two stable, one canary), a client
/// governed by a rule file that the demo edits while calls run. Shows release-tag routing,
/// an instance breaker opening when its instance dies and closing when it is back, and a
/// method breaker forced open and closed again by editing the YAML.
struct DemoGovernance {
  let directory: URL

  /// One feed instance on loopback, counting the calls it serves.
  final class FeedInstance: ServerMiddleware {
    let name: String
    let served = Atomic<Int>(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private let boundPort = Atomic<Int>(0)
    var port: Int { boundPort.load(ordering: .relaxed) }

    init(name: String) { self.name = name }

    func start(port: Int = 0) async throws {
      let server = ThriftServer(
        serving: [FeedService.service(DemoFeedService())],
        configuration: ThriftServerConfiguration(port: port, drainTimeout: .milliseconds(200), middlewares: [self]),
        logger: Logger(label: "demo") { _ in SwiftLogNoOpLogHandler() })
      task.withLock { $0 = Task { try await server.run() } }
      boundPort.store(try await server.localAddress.port ?? port, ordering: .relaxed)
    }

    func stop() async {
      let running = task.withLock { $0 }
      running?.cancel()
      _ = await running?.result
    }

    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      served.wrappingAdd(1, ordering: .relaxed)
      return try await next(request, context)
    }
  }

  static let rules = """
    # Edited live by weaver demo while calls run.
    retry: {maxAttempts: 3}                 # connectFailed: the server never ran the call
    instanceBreaker:
      consecutiveFailures: 3
      waitDurationInOpenState: 1s           # then a probe; success closes it
      maxEjectionPercent: 34%
    routing:
      releaseTag: {key: release, label: release, fallback: untagged}

    """

  func run() async throws {
    DemoOutput.line("\n4. Governance: rules from a YAML file, edited while calls run")
    let path = directory.appendingPathComponent("service.yaml").path
    try Self.rules.write(toFile: path, atomically: true, encoding: .utf8)
    DemoOutput.line("   rules: \(path)")
    let stable = [FeedInstance(name: "stable-a"), FeedInstance(name: "stable-b")]
    let canary = FeedInstance(name: "canary")
    for instance in stable + [canary] { try await instance.start() }
    defer { Task { for instance in stable + [canary] { await instance.stop() } } }
    let instances = stable.map { Instance(host: "127.0.0.1", port: $0.port) }
      + [Instance(host: "127.0.0.1", port: canary.port, tags: ["release": "canary"])]

    let quiet = GovernanceEvents(logger: Logger(label: "demo") { _ in SwiftLogNoOpLogHandler() })
    let store = RuleStore(service: "FeedService", sources: [RuleFileWatcher(path: path, interval: .milliseconds(50), events: quiet)], events: quiet)
    let following = Task { try await store.run() }
    defer { following.cancel() }
    try await waitFor { store.current.generation >= 1 }
    let governor = ClientGovernor(rules: store, events: quiet)
    var configuration = ThriftClientConfiguration(rpcTimeout: .seconds(2), callerName: "demo-client")
    configuration.reconnectBackoff = ReconnectBackoff(maximum: .milliseconds(300))
    let client = ThriftClient(resolver: StaticResolver(instances), configuration: configuration, governance: governor)
    defer { client.close() }
    let feed = FeedService.Client(channel: client)
    let all = stable + [canary]

    var outcome = try await calls(feed, count: 60, counting: all)
    DemoOutput.line("   60 untagged calls → \(outcome) (untagged calls avoid the canary)")
    outcome = try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) {
      try await calls(feed, count: 20, counting: all)
    }
    DemoOutput.line("   20 calls coloured release=canary → \(outcome)")

    let victim = stable[1]
    let victimInstance = instances[1]
    await victim.stop()
    DemoOutput.line("   stable-b stopped")
    outcome = try await calls(feed, count: 60, counting: all)
    DemoOutput.line("   60 calls → \(outcome); breaker of stable-b: \(state(governor, victimInstance)) (retries hid every failure)")
    try await victim.start(port: victim.port)
    DemoOutput.line("   stable-b back on port \(victim.port)")
    try await waitFor {
      _ = try? await feed.react(postID: 10, reaction: "👍")
      return governor.breakerStates.instances[victimInstance] == .closed
    }
    outcome = try await calls(feed, count: 60, counting: all)
    DemoOutput.line("   breaker of stable-b: closed after a probe; 60 calls → \(outcome)")

    try edit(path, append: "methods:\n  react:\n    circuitBreaker: {mode: forcedOpen}\n")
    DemoOutput.line("   edited service.yaml: methods.react.circuitBreaker.mode: forcedOpen")
    try await waitFor { store.current.rules(for: "react").circuitBreaker.mode == .forcedOpen }
    do {
      _ = try await feed.react(postID: 10, reaction: "👍")
      throw DemoError("react went through a forced-open breaker")
    } catch let error as RPCError where error.code == .circuitOpen {
      DemoOutput.line("   react → \(error.code): failed fast, no instance was called")
    }
    let page = try await feed.getFeed(viewer: 2, limit: 3, cursor: nil)
    DemoOutput.line("   getFeed → \(page.posts.count) posts (other methods are not affected)")
    try Self.rules.write(toFile: path, atomically: true, encoding: .utf8)
    try await waitFor { store.current.rules(for: "react").circuitBreaker.mode == .automatic }
    _ = try await feed.react(postID: 10, reaction: "👍")
    DemoOutput.line("   edited back: react answers again")

    try edit(path, append: "circuitBreaker: {failureRateThreshold: 160%}\n")
    DemoOutput.line("   wrote a broken rule (failureRateThreshold: 160%); the watcher rejects it, the rules in force stay")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    if case .failure(let error) = Result(catching: { try RuleDocument(parsing: text, file: "service.yaml") }) {
      DemoOutput.line("   (weaver rules check says: \(error))")
    }
    outcome = try await calls(feed, count: 30, counting: all)
    DemoOutput.line("   30 calls → \(outcome)")
  }

  private func state(_ governor: ClientGovernor, _ instance: Instance) -> String {
    governor.breakerStates.instances[instance].map { "\($0)" } ?? "none"
  }

  /// `count` react calls; what each instance served, and failures.
  private func calls(_ feed: FeedService.Client<ThriftClient>, count: Int, counting instances: [FeedInstance]) async throws -> String {
    let before = instances.map { $0.served.load(ordering: .relaxed) }
    var failed = 0
    for _ in 0..<count {
      do { _ = try await feed.react(postID: 10, reaction: "👍") } catch { failed += 1 }
    }
    let served = zip(instances, before).map { "\($0.name) \($0.served.load(ordering: .relaxed) - $1)" }
    return served.joined(separator: ", ") + (failed > 0 ? ", \(failed) failed" : ", none failed")
  }

  private func edit(_ path: String, append text: String) throws {
    let current = try String(contentsOfFile: path, encoding: .utf8)
    try (current + text).write(toFile: path, atomically: true, encoding: .utf8)
  }

  private func waitFor(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(10))
    while ContinuousClock.now < deadline {
      if try await condition() { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw DemoError("the demo's governance step timed out")
  }
}
