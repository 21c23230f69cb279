import Foundation
import Synchronization
import Testing
import WeaverConfig
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverGovernance

/// `WeaverConfig` against a real control plane: snapshots swapped on publish and rollback,
/// listeners after the swap, a cache file that carries a restart through a control-plane
/// outage, and governance rules published in the config center reaching a rule store.
@Suite(.timeLimit(.minutes(1))) struct ConfigSDKTests {
  struct Settings: Decodable, Equatable {
    var timeout: Int
    var region: String
  }

  /// Changes the listeners saw, as (old release, new release).
  final class Seen: Sendable {
    let changes = Mutex<[(Int?, Int)]>([])
  }

  @Test func watcherSwapsTellsAndSurvivesAnOutageFromItsCache() async throws {
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-cache-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: cache) }
    try await TemporaryStore.with { store in
      try await SDKTests.withServer(store: store) { server, port in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
        try await client.publish(app: "feed", namespace: "application", ConfigDraft(content: "timeout=10\nregion=eu"), author: "ci")

        let watcher = ConfigWatcher(client: client, app: "feed", namespace: "application", cacheDirectory: cache, wait: .seconds(10))
        let seen = Seen()
        let (releases, arrived) = AsyncStream<Int>.makeStream()
        watcher.onChange { old, new in
          seen.changes.withLock { $0.append((old?.number, new.number)) }
          arrived.yield(new.number)
        }
        let following = Task { try await watcher.run() }
        defer { following.cancel() }
        var next = releases.makeAsyncIterator()
        #expect(await next.next() == 1)
        #expect(try watcher.current?.decode(Settings.self) == Settings(timeout: 10, region: "eu"))
        try await client.publish(app: "feed", namespace: "application", ConfigDraft(content: "timeout=30\nregion=eu"), author: "ci")
        #expect(await next.next() == 2)
        #expect(try watcher.current?.decode(Settings.self).timeout == 30)
        #expect(seen.changes.withLock { $0.map { "\($0.0 ?? 0)→\($0.1)" } } == ["0→1", "1→2"], "listeners get the old and the new release")
        following.cancel()
        try await server.stop()

        // The control plane is down: a restarted service starts on its cached release.
        let restarted = ConfigWatcher(client: client, app: "feed", namespace: "application", cacheDirectory: cache)
        #expect(restarted.current?.number == 2)
        #expect(try restarted.current?.decode(Settings.self).timeout == 30)
      }
    }
  }

  @Test func rulesPublishedInTheConfigCenterReachTheRuleStore() async throws {
    try await TemporaryStore.with { store in
      try await SDKTests.withServer(store: store) { _, port in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
        let rules = RuleStore(service: "FeedService", sources: [ConfigCenterRuleSource(client: client, service: "FeedService")])
        var updates = rules.updates().makeAsyncIterator()
        let running = Task { try await rules.run() }
        defer { running.cancel() }
        try await client.publish(
          app: "FeedService", namespace: "governance", ConfigDraft(format: .yaml, content: "retry:\n  maxAttempts: 4\n"), author: "ci")
        var applied = try #require(await updates.next())
        while applied.serviceRules.retry.maxAttempts != 4 { applied = try #require(await updates.next()) }
        #expect(rules.current.serviceRules.retry.maxAttempts == 4)
        // A broken rule set cannot even be published: the one in force stays.
        await #expect(throws: ControlPlaneError.self) {
          try await client.publish(
            app: "FeedService", namespace: "governance", ConfigDraft(content: "retry:\n  maxAttempts: 0\n"), author: "ci")
        }
        #expect(rules.current.serviceRules.retry.maxAttempts == 4)
      }
    }
  }

  /// A watcher that names its instance follows a gray release that selects it, and goes
  /// back to the main release when the gray one is abandoned; one that is not selected
  /// never sees it.
  @Test func aWatcherNamingItsInstanceFollowsAGrayRelease() async throws {
    try await TemporaryStore.with { store in
      try await SDKTests.withServer(store: store) { _, port in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
        try await client.publish(app: "feed", namespace: "application", ConfigDraft(content: "timeout=10\nregion=eu"), author: "ci")
        let canary = ConfigWatcher(
          client: client, app: "feed", namespace: "application", identity: ConfigClient(ip: "10.0.0.9", labels: ["release": "canary"]),
          wait: .seconds(10))
        let stable = ConfigWatcher(
          client: client, app: "feed", namespace: "application", identity: ConfigClient(ip: "10.0.0.1", labels: ["release": "stable"]),
          wait: .seconds(10))
        let (releases, arrived) = AsyncStream<Int>.makeStream()
        canary.onChange { _, new in arrived.yield(new.number) }
        let seenByStable = Seen()
        stable.onChange { old, new in seenByStable.changes.withLock { $0.append((old?.number, new.number)) } }
        let following = [Task { try await canary.run() }, Task { try await stable.run() }]
        defer { following.forEach { $0.cancel() } }
        var next = releases.makeAsyncIterator()
        #expect(await next.next() == 1)

        try await client.saveDraft(app: "feed", namespace: "application", ConfigDraft(content: "timeout=30\nregion=eu"))
        _ = try await client.publishGray(
          app: "feed", namespace: "application", GrayPublishRequest(rule: GrayRule(labels: ["release": "canary"]), author: "ci"))
        #expect(await next.next() == 2)
        #expect(try canary.current?.decode(Settings.self).timeout == 30)
        try await client.abandonGray(app: "feed", namespace: "application", PublishRequest(author: "ci"))
        #expect(await next.next() == 1, "back to the main release")
        #expect(try canary.current?.decode(Settings.self).timeout == 10)
        #expect(stable.current?.number == 1)
        #expect(seenByStable.changes.withLock { $0.map(\.1) } == [1], "the stable instance saw release 1 only")
      }
    }
  }
}
