import Foundation
import Logging
import ServiceLifecycle
import WeaverConfig
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore
import WeaverExampleModels
import WeaverGovernance
import WeaverRPC

/// `weaver demo`'s control-plane step: `weaver server` on its embedded store, two feed
/// instances that register themselves through the SDK, a client that finds them through
/// the registry, and governance rules published through the config center taking effect
/// live, then rolled back.
struct DemoControlPlane {
  let directory: URL
  let quiet = Logger(label: "demo") { _ in SwiftLogNoOpLogHandler() }

  func run() async throws {
    DemoOutput.line("\n5. The control plane: weaver server, services registering and resolving, rules from the config center")
    let server = try DemoProcess(
      label: "weaver server", arguments: ["server", "--data-dir", directory.path, "--listen", "127.0.0.1:0", "--log-level", "warning"])
    do {
      let listening = try await server.line(startingWith: "listening on ")
      let url = "http://" + listening.dropFirst("listening on ".count)
      try await tour(controlPlane: ControlPlaneClient(configuration: .init(servers: [url])))
    } catch {
      _ = await server.stop()
      throw error
    }
    let status = await server.stop()
    DemoOutput.line("   weaver server stopped gracefully (status \(status))")
  }

  private func tour(controlPlane: ControlPlaneClient) async throws {
    // Two feed instances, each announced by a Registrar (one of them a canary).
    let stable = DemoGovernance.FeedInstance(name: "feed-stable")
    let canary = DemoGovernance.FeedInstance(name: "feed-canary")
    for instance in [stable, canary] { try await instance.start() }
    defer { Task { for instance in [stable, canary] { await instance.stop() } } }
    let registrars = [
      Registrar(client: controlPlane, service: "FeedService", registration: InstanceRegistration(host: "127.0.0.1", port: stable.port), logger: quiet),
      Registrar(
        client: controlPlane, service: "FeedService",
        registration: InstanceRegistration(host: "127.0.0.1", port: canary.port, releaseTag: "canary"), logger: quiet),
    ]
    let groups = registrars.map { ServiceGroup(configuration: .init(services: [.init(service: $0)], logger: quiet)) }
    let running = groups.map { group in Task { try await group.run() } }
    try await waitFor { try await controlPlane.instances(service: "FeedService").instances.count == 2 }
    for instance in try await controlPlane.instances(service: "FeedService").instances {
      DemoOutput.line("   registered \(instance.id) tag=\(instance.releaseTag ?? "-") healthy=\(instance.healthy)")
    }

    // A client that resolves through the registry, its rules from the config center.
    let events = GovernanceEvents(logger: quiet)
    let rules = RuleStore(service: "FeedService", sources: [ConfigCenterRuleSource(client: controlPlane, service: "FeedService")], events: events)
    let following = Task { try await rules.run() }
    defer { following.cancel() }
    try await controlPlane.publish(
      app: "FeedService", namespace: "governance",
      ConfigDraft(format: .yaml, content: "routing:\n  releaseTag: {key: release, label: release, fallback: untagged}\n"), author: "demo",
      comment: "colour routing")
    try await waitFor { rules.current.generation >= 1 }
    DemoOutput.line("   published the governance namespace as release 1 (colour routing)")
    let client = ThriftClient(
      resolver: ControlPlaneResolver(client: controlPlane, service: "FeedService", logger: quiet),
      configuration: ThriftClientConfiguration(rpcTimeout: .seconds(2)), governance: ClientGovernor(rules: rules, events: events))
    let resolving = Task { try await client.run() }
    defer {
      resolving.cancel()
      client.close()
    }
    let feed = FeedService.Client(channel: client)
    try await waitFor { (try? await feed.react(postID: 10, reaction: "👍")) != nil }
    var outcome = try await calls(feed, count: 20, counting: [stable, canary])
    DemoOutput.line("   20 calls through the registry → \(outcome)")
    outcome = try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) {
      try await calls(feed, count: 10, counting: [stable, canary])
    }
    DemoOutput.line("   10 calls coloured release=canary → \(outcome)")

    // A rule change published live, then rolled back.
    try await controlPlane.publish(
      app: "FeedService", namespace: "governance",
      ConfigDraft(content: "routing:\n  releaseTag: {key: release, label: release, fallback: untagged}\nmethods:\n  react:\n    circuitBreaker: {mode: forcedOpen}\n"),
      author: "demo", comment: "stop react")
    try await waitFor { rules.current.rules(for: "react").circuitBreaker.mode == .forcedOpen }
    do {
      _ = try await feed.react(postID: 10, reaction: "👍")
      throw DemoError("react went through a forced-open breaker")
    } catch let error as RPCError where error.code == .circuitOpen {
      DemoOutput.line("   published release 2 (react's breaker forced open) → react: \(error.code), live, no restart")
    }
    let rollback = try await controlPlane.rollback(app: "FeedService", namespace: "governance", RollbackRequest(author: "demo"))
    try await waitFor { rules.current.rules(for: "react").circuitBreaker.mode == .automatic }
    _ = try await feed.react(postID: 10, reaction: "👍")
    DemoOutput.line("   rolled back: release \(rollback.number) brings back release \(rollback.rolledBackTo ?? 0) → react answers again")

    // An instance leaves: its registrar deregisters on shutdown, the client stops calling it.
    await groups[1].triggerGracefulShutdown()
    _ = await running[1].result
    try await waitFor { try await controlPlane.instances(service: "FeedService").instances.count == 1 }
    let canaryCalls = { try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) { try await calls(feed, count: 10, counting: [stable, canary]) } }
    // Once the resolver's blocking query has answered, coloured calls fall back to the stable instance.
    try await waitFor { try await canaryCalls().hasPrefix("feed-stable 10") }
    outcome = try await canaryCalls()
    DemoOutput.line("   feed-canary shut down and deregistered → 10 calls coloured release=canary: \(outcome) (fallback: untagged)")
    await groups[0].triggerGracefulShutdown()
    _ = await running[0].result
  }

  /// `count` react calls; what each instance served, and failures.
  private func calls(_ feed: FeedService.Client<ThriftClient>, count: Int, counting instances: [DemoGovernance.FeedInstance]) async throws -> String {
    let before = instances.map { $0.served.load(ordering: .relaxed) }
    var failed = 0
    for _ in 0..<count {
      do { _ = try await feed.react(postID: 10, reaction: "👍") } catch { failed += 1 }
    }
    let served = zip(instances, before).map { "\($0.name) \($0.served.load(ordering: .relaxed) - $1)" }
    return served.joined(separator: ", ") + (failed > 0 ? ", \(failed) failed" : ", none failed")
  }

  private func waitFor(_ condition: () async throws -> Bool) async throws {
    try await DemoWait.until("the demo's control-plane step", condition)
  }
}
