import Foundation
import Synchronization
import Testing
import WeaverTestSupport

@testable import WeaverRedis

/// Slots moving and primaries dying under a real 6-node cluster, while the client works.
@Suite(.serialized) struct ClusterResilienceTests {
  @Test func followsAskDuringAMigrationAndMovedAfterIt() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let cluster = ClusterRoutingTests.client(servers)
      defer { cluster.shutdown() }
      let topology = try await cluster.topology()
      let slot = HashSlot.slot(of: "{mig}")
      let source = try #require(topology.shard(forSlot: slot)).primary
      let target = try #require(topology.shards.first { $0.primary != source }).primary
      let sourceID = try #require(try await cluster.execute(RedisCommand("CLUSTER", arguments: ["MYID"]), on: source).string)
      let targetID = try #require(try await cluster.execute(RedisCommand("CLUSTER", arguments: ["MYID"]), on: target).string)
      try await cluster.set("{mig}:moving", to: "old home")
      try await cluster.set("{mig}:staying", to: "still here")

      // The slot starts migrating; one of its keys goes across (what redis-cli --cluster reshard does, by hand).
      _ = try await cluster.execute(RedisCommand("CLUSTER", arguments: ["SETSLOT", "\(slot)", "IMPORTING", sourceID]), on: target)
      _ = try await cluster.execute(RedisCommand("CLUSTER", arguments: ["SETSLOT", "\(slot)", "MIGRATING", targetID]), on: source)
      _ = try await cluster.execute(
        RedisCommand("MIGRATE", arguments: [target.host, "\(target.port)", "", "0", "5000", "KEYS", "{mig}:moving"]), on: source)

      // The source no longer has the key: ASK sends the command (after ASKING) to the target, once.
      #expect(try await cluster.getString("{mig}:moving") == "old home")
      #expect(cluster.statistics.asked == 1)
      #expect(try await cluster.getString("{mig}:staying") == "still here")
      #expect(cluster.statistics.asked == 1)
      try await cluster.set("{mig}:new", to: "born during the move")
      #expect(cluster.statistics.asked == 2)
      #expect(try await cluster.topology().shard(forSlot: slot)?.primary == source)
      #expect(cluster.statistics.moved == 0)

      // A multi-key command over keys split by the migration gets TRYAGAIN, retried, then given up.
      await #expect {
        _ = try await cluster.mget(["{mig}:moving", "{mig}:staying"])
      } throws: { error in
        guard case .server(let server) = error as? RedisError else { return false }
        return server.code == "TRYAGAIN"
      }
      #expect(cluster.statistics.retries == cluster.configuration.retry.maxRetries)

      // The rest goes across and the slot is handed over: MOVED, and the map learns it at once.
      _ = try await cluster.execute(
        RedisCommand("MIGRATE", arguments: [target.host, "\(target.port)", "", "0", "5000", "KEYS", "{mig}:staying"]), on: source)
      for primary in [target, source] + topology.shards.map(\.primary).filter({ $0 != target && $0 != source }) {
        _ = try await cluster.execute(RedisCommand("CLUSTER", arguments: ["SETSLOT", "\(slot)", "NODE", targetID]), on: primary)
      }
      #expect(try await cluster.getString("{mig}:staying") == "still here")
      #expect(cluster.statistics.moved == 1)
      #expect(try await cluster.topology().shard(forSlot: slot)?.primary == target)
      #expect(try await cluster.mget(["{mig}:moving", "{mig}:staying", "{mig}:new"]).map { $0.map { String(buffer: $0) } } == [
        "old home", "still here", "born during the move",
      ])
      #expect(cluster.statistics.moved == 1)
      #expect(cluster.statistics.asked == 2)
    }
  }

  @Test func keepsWritingThroughAReshardAndLosesNothing() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let cluster = ClusterRoutingTests.client(servers)
      defer { cluster.shutdown() }
      let before = try await cluster.topology()
      let source = before.shards[0].primary
      let target = before.shards[1].primary
      let resharded = Atomic<Bool>(false)

      // One writer keeps setting keys over every slot while redis-cli moves 1000 slots.
      async let writes = Self.writeUntil(resharded, cluster: cluster, prefix: "reshard", confirm: false)
      try await servers.command("reshard \(source.port) \(target.port) 1000")
      resharded.store(true, ordering: .releasing)
      let outcome = await writes

      #expect(outcome.failures.isEmpty, "\(outcome.failures.prefix(5))")
      #expect(outcome.acknowledged.count > 100)
      #expect(cluster.statistics.moved + cluster.statistics.asked > 0)
      // redis-cli tells the source and the target; the other nodes learn the new owners by
      // gossip, so a reload from one of them can lag a moment (CI once saw 10 slots short).
      let slotsOf = { (topology: ClusterTopology, node: RedisNodeAddress) in
        topology.shards.first { $0.primary == node }?.slots.reduce(0) { $0 + $1.count } ?? 0
      }
      var after = before
      let converged = await eventually(within: .seconds(20)) {
        guard let topology = try? await cluster.refreshTopology() else { return false }
        after = topology
        return slotsOf(topology, target) == slotsOf(before, target) + 1000
      }
      #expect(converged, "target serves \(slotsOf(after, target)) slots, expected \(slotsOf(before, target) + 1000)")
      try await Self.expectAllPresent(outcome.acknowledged, prefix: "reshard", cluster: cluster, servers: servers)
    }
  }

  @Test func writesResumeAfterAFailoverAndNoConfirmedWriteIsLost() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let cluster = ClusterRoutingTests.client(servers) { configuration, _ in
        configuration.connection.connectTimeout = .milliseconds(500)
        configuration.connection.commandTimeout = .seconds(1)
      }
      defer { cluster.shutdown() }
      let before = try await cluster.topology()
      let victim = before.shards[0].primary
      let promoted = before.shards[0].replicas[0]
      let failedOver = Atomic<Bool>(false)

      // The writer waits for a replica's copy of each write (WAIT 1): what it counts as
      // confirmed must survive the primary's death. Redis replicates asynchronously, so a
      // write only the dead primary held may be gone; those are counted apart.
      async let writes = Self.writeUntil(failedOver, cluster: cluster, prefix: "failover", confirm: true)
      try await Task.sleep(for: .milliseconds(300))
      try await servers.command("kill \(victim.port)")
      try await servers.command("wait-promoted")
      failedOver.store(true, ordering: .releasing)
      let outcome = await writes

      // The dead node's breaker opened; writes to its slots went on at the promoted replica.
      #expect(cluster.statistics.circuitsOpened >= 1)
      let after = try await cluster.refreshTopology()
      #expect(after.shards.contains { $0.primary == promoted })
      #expect(!after.nodes.contains(victim))
      let onPromoted = (0..<200).map { "failover:after:\($0)" }.filter { after.shard(forSlot: HashSlot.slot(of: $0))?.primary == promoted }
      for key in onPromoted { try await cluster.set(key, to: key) }
      #expect(!onPromoted.isEmpty)
      #expect(outcome.acknowledged.count > 50)
      try await Self.expectAllPresent(outcome.confirmed, prefix: "failover", cluster: cluster, servers: servers)
      // Writes to the shards that did not fail are all there, confirmed by a replica or not.
      let elsewhere = outcome.acknowledged.filter { before.shard(forSlot: HashSlot.slot(of: "failover:\($0)"))?.primary != victim }
      try await Self.expectAllPresent(elsewhere, prefix: "failover", cluster: cluster, servers: servers)

      // The old primary comes back as a replica of the new one.
      try await servers.command("start \(victim.port)")
      try await servers.command("wait-ok")
      #expect(try await servers.primaries().contains(promoted.port))
    }
  }

  struct WriteOutcome: Sendable {
    /// Indices whose `SET` was acknowledged.
    var acknowledged: [Int] = []
    /// Indices a replica also confirmed (`WAIT 1`).
    var confirmed: [Int] = []
    var failures: [RedisError] = []
  }

  /// Sets `prefix:i` to `i` for i = 0, 1, … until `stop` is set, then 50 more.
  static func writeUntil(_ stop: borrowing Atomic<Bool>, cluster: RedisClusterClient, prefix: String, confirm: Bool) async
    -> WriteOutcome
  {
    var outcome = WriteOutcome()
    var index = 0
    var after = 0
    while after < 50 {
      if stop.load(ordering: .acquiring) { after += 1 }
      var set = RedisCommand("SET")
      set.key("\(prefix):\(index)")
      set.argument(index)
      do {
        if confirm {
          let (_, replicas) = try await cluster.wait(replicas: 1, timeout: .milliseconds(200), after: set)
          outcome.acknowledged.append(index)
          if replicas >= 1 { outcome.confirmed.append(index) }
        } else {
          _ = try await cluster.execute(set)
          outcome.acknowledged.append(index)
        }
      } catch {
        outcome.failures.append(error)
      }
      index += 1
    }
    return outcome
  }

  /// Every `prefix:i` of `indices` reads back as `i`, through our client and through redis-py.
  static func expectAllPresent(
    _ indices: [Int], prefix: String, cluster: RedisClusterClient, servers: RedisTestServers
  ) async throws {
    let keys = indices.map { "\(prefix):\($0)" }
    var missing: [String] = []
    for chunk in stride(from: 0, to: keys.count, by: 100).map({ Array(keys[$0..<min($0 + 100, keys.count)]) }) {
      let results = await cluster.pipeline(chunk.map { key in
        var get = RedisCommand("GET", readOnly: true)
        get.key(key)
        return get
      })
      for (key, result) in zip(chunk, results) where (try? result.get())?.string != String(key.split(separator: ":").last!) {
        missing.append(key)
      }
    }
    #expect(missing.isEmpty, "lost: \(missing.prefix(10))")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-redis-keys-\(UUID().uuidString).json")
    try JSONSerialization.data(withJSONObject: ["strings": keys]).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let live = try await cluster.topology().nodes.map { String($0.port) }.joined(separator: ",")
    let output = try await ExternalTool.run(
      ["python3", "Tests/RedisPeer/redis_py_reader.py", "cluster", live, "@" + file.path],
      hint: "redis-py: scripts/install-test-deps (python3 -m pip install redis)")
    let strings = try #require((try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["strings"] as? [String: Any])
    let seenByRedisPy = keys.filter { key in
      (strings[key] as? String) == ClusterRoutingTests.hex(Array(String(key.split(separator: ":").last!).utf8))
    }
    #expect(seenByRedisPy.count == keys.count)
  }
}
