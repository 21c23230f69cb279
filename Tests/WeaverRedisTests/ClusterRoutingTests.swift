import Foundation
import NIOCore
import Testing
import WeaverTestSupport

@testable import WeaverRedis

/// Against a real 6-node cluster (3 primaries, 3 replicas) of Debian's `redis-server`.
@Suite(.serialized) struct ClusterRoutingTests {
  static func client(_ servers: RedisTestServers, _ adjust: (inout RedisClientConfiguration, inout RedisClusterOptions) -> Void = { _, _ in })
    -> RedisClusterClient
  {
    var configuration = RedisClientConfiguration()
    configuration.pool.poolSize = 4
    var options = RedisClusterOptions()
    adjust(&configuration, &options)
    return RedisClusterClient(
      seeds: [RedisNodeAddress(host: "127.0.0.1", port: servers.basePort)], configuration: configuration, options: options)
  }

  @Test func routesBySlotAndAgreesWithTheServerAndWithRedisPy() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let cluster = Self.client(servers)
      defer { cluster.shutdown() }
      let topology = try await cluster.topology()
      #expect(topology.shards.count == 3)
      #expect(topology.coveredSlots == 16384)
      #expect(topology.shards.allSatisfy { $0.replicas.count == 1 })
      #expect(Set(topology.nodes.map(\.port)) == Set(servers.ports))

      // Our slot of a key is the server's.
      let keys = (0..<300).map { "key:\($0)" } + ["{user42}:a", "", "é{ü}x", "a{}b"]
      let node = topology.shards[0].primary
      for key in keys {
        let serverSlot = try await cluster.execute(RedisCommand("CLUSTER", arguments: ["KEYSLOT", key]), on: node).int
        #expect(serverSlot == Int(HashSlot.slot(of: key)), "\(key)")
      }

      // Each key lands on its slot's primary: asked directly, that node has it (no MOVED).
      for (index, key) in keys.prefix(300).enumerated() { try await cluster.set(key, to: "value \(index)") }
      for (index, key) in keys.prefix(300).enumerated() {
        let owner = try #require(topology.shard(forSlot: HashSlot.slot(of: key))).primary
        var get = RedisCommand("GET", readOnly: true)
        get.key(key)
        #expect(try await cluster.execute(get, on: owner).string == "value \(index)")
      }

      // One pipeline over every node, replies in order.
      var commands: [RedisCommand] = []
      for index in 0..<300 {
        var set = RedisCommand("SET")
        set.key("pipe:\(index)")
        set.argument(index)
        commands.append(set)
      }
      for index in 0..<300 {
        var get = RedisCommand("GET", readOnly: true)
        get.key("pipe:\(index)")
        commands.append(get)
      }
      let results = await cluster.pipeline(commands)
      for index in 0..<300 {
        #expect((try? results[300 + index].get())?.int == index)
      }
      #expect(Set((0..<300).compactMap { topology.shard(forSlot: HashSlot.slot(of: "pipe:\($0)"))?.primary }).count == 3)

      // Hash tags keep multi-key commands in one slot; without one they are refused before sending.
      try await cluster.mset([("{user42}:name", "Ada"), ("{user42}:city", "London")])
      #expect(try await cluster.mget(["{user42}:name", "{user42}:city"]).map { $0.map { String(buffer: $0) } } == ["Ada", "London"])
      await #expect(throws: RedisError.crossSlot(command: "MGET")) { _ = try await cluster.mget(["a", "b"]) }
      #expect(try await cluster.eval("return redis.call('GET', KEYS[1])", keys: ["{user42}:name"]).string == "Ada")

      // SCAN visits every primary.
      var scanned: Set<String> = []
      for try await key in cluster.scan(match: "key:*", count: 100) { scanned.insert(String(buffer: key)) }
      #expect(scanned == Set(keys.prefix(300)))

      // redis-py, in cluster mode, reads back what we wrote: text, every byte value, a hash, a sorted set.
      let everyByte = (0...255).map { UInt8($0) }
      try await cluster.set("py:text", to: "héllo wörld")
      try await cluster.set("py:bytes", to: everyByte)
      try await cluster.hset("py:hash", fields: [("name", "Ada"), ("raw", everyByte)])
      try await cluster.zadd("py:zset", [("low", -1.5), (everyByte, 2), ("high", 1e10)])
      let output = try await ExternalTool.run(
        [
          "python3", "Tests/RedisPeer/redis_py_reader.py", "cluster", String(servers.basePort),
          #"{"strings": ["py:text", "py:bytes", "py:missing"], "hashes": ["py:hash"], "zsets": ["py:zset"]}"#,
        ], hint: "redis-py: scripts/install-test-deps (python3 -m pip install redis)")
      let read = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
      let strings = read?["strings"] as? [String: Any]
      #expect(strings?["py:text"] as? String == Self.hex(Array("héllo wörld".utf8)))
      #expect(strings?["py:bytes"] as? String == Self.hex(everyByte))
      #expect(strings?["py:missing"] is NSNull)
      let hash = (read?["hashes"] as? [String: Any])?["py:hash"] as? [String: String]
      #expect(hash == ["name": Self.hex(Array("Ada".utf8)), "raw": Self.hex(everyByte)])
      let zset = (read?["zsets"] as? [String: Any])?["py:zset"] as? [[Any]]
      #expect(zset?.map { $0[0] as? String } == [Self.hex(Array("low".utf8)), Self.hex(everyByte), Self.hex(Array("high".utf8))])
      #expect(zset?.map { $0[1] as? Double } == [-1.5, 2, 1e10])

      #expect(cluster.statistics.moved == 0)
      #expect(cluster.statistics.asked == 0)
    }
  }

  @Test func readsFromReplicasWhenAsked() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      for readFrom in [RedisClusterOptions.ReadFrom.replicaRandom, .lowestLatency] {
        let cluster = Self.client(servers) { _, options in options.readFrom = readFrom }
        defer { cluster.shutdown() }
        // Replication is asynchronous: WAIT on the write's connection until the replica has it.
        var set = RedisCommand("SET")
        set.key("replicated")
        set.argument("yes")
        let written = try await cluster.wait(replicas: 1, timeout: .seconds(10), after: set)
        #expect(written.replicas == 1)
        #expect(try await cluster.getString("replicated") == "yes")
      }
      // With replicaRandom the read went to a replica connection (READONLY): it holds a pool.
      let cluster = Self.client(servers) { _, options in options.readFrom = .replicaRandom }
      defer { cluster.shutdown() }
      let topology = try await cluster.topology()
      _ = try await cluster.getString("replicated")
      let shard = try #require(topology.shard(forSlot: HashSlot.slot(of: "replicated")))
      #expect(cluster.poolSnapshots[shard.replicas[0]] != nil)
    }
  }

  static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
  }
}
