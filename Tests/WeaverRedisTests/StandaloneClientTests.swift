import NIOCore
import Testing
import WeaverCore
import WeaverGovernance
import WeaverTestSupport
import WeaverTesting

@testable import WeaverRedis

/// Against a real standalone `redis-server` (Debian's), started per test.
@Suite(.serialized) struct StandaloneClientTests {
  private func client(
    _ servers: RedisTestServers, _ adjust: (inout RedisClientConfiguration) -> Void = { _ in }
  ) -> RedisClient {
    var configuration = RedisClientConfiguration()
    configuration.pool.poolSize = 4
    adjust(&configuration)
    return RedisClient(node: RedisNodeAddress(host: "127.0.0.1", port: servers.basePort), configuration: configuration)
  }

  @Test(arguments: [RedisConnectionConfiguration.ProtocolVersion.resp3, .resp2])
  func typedCommandsRoundTrip(protocolVersion: RedisConnectionConfiguration.ProtocolVersion) async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = client(servers) { $0.connection.protocolVersion = protocolVersion }
      defer { redis.shutdown() }
      #expect(try await redis.ping() == "PONG")

      #expect(try await redis.set("greeting", to: "hello"))
      #expect(try await redis.getString("greeting") == "hello")
      #expect(try await redis.set("greeting", to: "again", condition: .ifNotExists) == false)
      #expect(try await redis.set("fresh", to: "x", expiration: .after(.seconds(100)), condition: .ifNotExists))
      guard case .expires(let left) = try await redis.ttl("fresh") else {
        Issue.record("fresh has no time to live")
        return
      }
      #expect(left > .seconds(90) && left <= .seconds(100))
      #expect(try await redis.ttl("greeting") == .persistent)
      #expect(try await redis.ttl("missing") == .missing)
      #expect(try await redis.get("missing") == nil)
      #expect(try await redis.incr("counter") == 1)
      #expect(try await redis.incr("counter", by: 41) == 42)
      #expect(try await redis.expire("counter", after: .seconds(50)))
      try await redis.mset([("a", "1"), ("b", "2")])
      #expect(try await redis.mget(["a", "missing", "b"]).map { $0.map { String(buffer: $0) } } == ["1", nil, "2"])
      #expect(try await redis.exists("a", "b", "missing") == 2)
      #expect(try await redis.del("a", "b", "missing") == 2)

      #expect(try await redis.hset("user:1", fields: [("name", "Ada"), ("visits", 1)]) == 2)
      #expect(try await redis.hincr("user:1", field: "visits", by: 2) == 3)
      #expect(try await redis.hget("user:1", field: "name").map { String(buffer: $0) } == "Ada")
      #expect(try await redis.hgetall("user:1").mapValues { String(buffer: $0) } == ["name": "Ada", "visits": "3"])
      #expect(try await redis.hlen("user:1") == 2)
      #expect(try await redis.hdel("user:1", fields: ["visits"]) == 1)

      #expect(try await redis.rpush("list", ["b", "c"]) == 2)
      #expect(try await redis.lpush("list", ["a"]) == 3)
      #expect(try await redis.lrange("list").map { String(buffer: $0) } == ["a", "b", "c"])
      #expect(try await redis.rpop("list").map { String(buffer: $0) } == "c")
      #expect(try await redis.lpop("list").map { String(buffer: $0) } == "a")
      #expect(try await redis.llen("list") == 1)

      #expect(try await redis.sadd("set", ["x", "y", "x"]) == 2)
      #expect(try await redis.sismember("set", "x"))
      #expect(Set(try await redis.smembers("set").map { String(buffer: $0) }) == ["x", "y"])
      #expect(try await redis.srem("set", ["x"]) == 1)
      #expect(try await redis.scard("set") == 1)

      #expect(try await redis.zadd("board", [("ada", 3.5), ("bob", 1), ("cy", 2)]) == 3)
      #expect(try await redis.zincr("board", "bob", by: 10) == 11)
      #expect(try await redis.zscore("board", "ada") == 3.5)
      #expect(try await redis.zscore("board", "nobody") == nil)
      let ranked = try await redis.zrangeWithScores("board")
      #expect(ranked.map { String(buffer: $0.member) } == ["cy", "ada", "bob"])
      #expect(ranked.map(\.score) == [2, 3.5, 11])
      #expect(try await redis.zrange("board", 0, 0).map { String(buffer: $0) } == ["cy"])
      #expect(try await redis.zrem("board", ["cy"]) == 1)
      #expect(try await redis.zcard("board") == 2)

      let script = "return redis.call('INCRBY', KEYS[1], ARGV[1])"
      #expect(try await redis.eval(script, keys: ["scripted"], arguments: [5]).int == 5)
      #expect(try await redis.runScript(script, keys: ["scripted"], arguments: [2]).int == 7)
      #expect(try await redis.evalsha(RedisClient.sha1(of: script), keys: ["scripted"], arguments: [1]).int == 8)
      await #expect(throws: RedisError.server(RedisServerError("NOSCRIPT No matching script. Please use EVAL."))) {
        try await redis.evalsha(String(repeating: "0", count: 40))
      }

      // A wrong type is the server's error, typed, and the connection stays usable.
      await #expect {
        _ = try await redis.lpop("greeting")
      } throws: { error in
        guard case .server(let reply) = error as? RedisError else { return false }
        return reply.code == "WRONGTYPE"
      }
      #expect(try await redis.send("ECHO", "still here").string == "still here")
    }
  }

  @Test func binaryValuesWithEveryByteRoundTrip() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = client(servers)
      defer { redis.shutdown() }
      let everyByte = (0...255).map { UInt8($0) }
      let key: [UInt8] = [0, 13, 10, 255, 0x7B, 0x7D]
      #expect(try await redis.set(key, to: everyByte + everyByte.reversed()))
      #expect(try await redis.get(key) == ByteBuffer(bytes: everyByte + everyByte.reversed()))
    }
  }

  @Test func scanVisitsEveryKeyOnce() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = client(servers)
      defer { redis.shutdown() }
      let commands = (0..<500).map { index -> RedisCommand in
        var command = RedisCommand("SET")
        command.key("scan:\(index)")
        command.argument(index)
        return command
      }
      _ = await redis.pipeline(commands)
      try await redis.set("other", to: "x")
      var seen: Set<String> = []
      for try await key in redis.scan(match: "scan:*", count: 50) { seen.insert(String(buffer: key)) }
      #expect(seen == Set((0..<500).map { "scan:\($0)" }))
    }
  }

  @Test func manyCommandsPipelineOnOneConnection() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = client(servers) { $0.pool.poolSize = 1 }
      defer { redis.shutdown() }
      var commands: [RedisCommand] = []
      for index in 0..<2000 {
        var set = RedisCommand("SET")
        set.key("p:\(index)")
        set.argument("v\(index)")
        commands.append(set)
        var get = RedisCommand("GET", readOnly: true)
        get.key("p:\(index)")
        commands.append(get)
      }
      commands.append(RedisCommand("LPOP", arguments: ["p:0"]))  // an error reply in the middle of nothing
      let results = await redis.pipeline(commands)
      #expect(results.count == 4001)
      for index in 0..<2000 {
        #expect((try? results[2 * index + 1].get())?.string == "v\(index)")
      }
      guard case .failure(.server(let error)) = results[4000] else {
        Issue.record("LPOP on a string did not fail: \(results[4000])")
        return
      }
      #expect(error.code == "WRONGTYPE")
      #expect(redis.poolSnapshot.open == 1)
    }
  }

  @Test func passwordsACLUsersAndDatabases() async throws {
    try await RedisTestServers.withStandalone(password: "s3cret") { servers async throws in
      // No password: the server says NOAUTH, typed.
      let anonymous = client(servers) { $0.retry.maxRetries = 0 }
      defer { anonymous.shutdown() }
      await #expect {
        _ = try await anonymous.ping()
      } throws: { error in
        guard case .server(let reply) = error as? RedisError else { return false }
        return reply.code == "NOAUTH"
      }
      for version in [RedisConnectionConfiguration.ProtocolVersion.resp3, .resp2] {
        let admin = client(servers) {
          $0.connection.password = "s3cret"
          $0.connection.protocolVersion = version
          $0.connection.clientName = "weaver-test"
        }
        #expect(try await admin.ping() == "PONG")
        #expect(try await admin.send("CLIENT", "GETNAME").string == "weaver-test")
        admin.shutdown()
      }
      let admin = client(servers) { $0.connection.password = "s3cret" }
      defer { admin.shutdown() }
      try await admin.send("ACL", "SETUSER", "reader", "on", ">pw", "~cache:*", "+get", "+set", "+hello", "+ping", "+select")
      let reader = client(servers) {
        $0.connection.username = "reader"
        $0.connection.password = "pw"
        $0.connection.database = 3
      }
      defer { reader.shutdown() }
      try await reader.set("cache:x", to: "in db 3")
      #expect(try await reader.getString("cache:x") == "in db 3")
      await #expect {
        _ = try await reader.getString("secret:x")
      } throws: { error in
        guard case .server(let reply) = error as? RedisError else { return false }
        return reply.code == "NOPERM"
      }
      // Database 0 does not see database 3's key.
      #expect(try await admin.getString("cache:x") == nil)
      let wrong = client(servers) {
        $0.connection.username = "reader"
        $0.connection.password = "nope"
        $0.retry.maxRetries = 0
      }
      defer { wrong.shutdown() }
      await #expect {
        _ = try await wrong.ping()
      } throws: { error in
        guard case .server(let reply) = error as? RedisError else { return false }
        return reply.code == "WRONGPASS"
      }
    }
  }

  @Test func aLateReplyTimesOutAndClosesOnlyItsConnection() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = client(servers) {
        $0.connection.commandTimeout = .milliseconds(200)
        $0.retry.maxRetries = 0
        // Connects made while the server sleeps time out too; this test is not about the breaker.
        $0.breaker.mode = .disabled
      }
      defer { redis.shutdown() }
      try await redis.set("k", to: "v")
      await #expect {
        try await redis.send("DEBUG", "SLEEP", "2")
      } throws: { error in
        guard case .timeout = error as? RedisError else { return false }
        return true
      }
      // The next command gets a working connection (the timed-out one was closed).
      let started = ContinuousClock.now
      var answered: String?
      while answered == nil && ContinuousClock.now - started < .seconds(30) {
        answered = try? await redis.getString("k")
      }
      #expect(answered == "v")
    }
  }

  @Test func theBreakerOpensOnADeadServerAndClosesWhenItReturns() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let clock = ManualClock()
      var configuration = RedisClientConfiguration()
      configuration.retry.maxRetries = 0
      let redis = RedisClient(
        node: RedisNodeAddress(host: "127.0.0.1", port: servers.basePort), configuration: configuration, time: TimeSource(clock))
      defer { redis.shutdown() }
      try await redis.set("k", to: "v")
      try await servers.command("kill \(servers.basePort)")
      // Three failures in a row (the pooled connection breaks, then connects are refused)...
      for _ in 0..<3 {
        await #expect(throws: RedisError.self) { _ = try await redis.getString("k") }
      }
      #expect(redis.node.breaker.state == .open)
      // ...then commands fail fast, without trying the node.
      await #expect {
        _ = try await redis.getString("k")
      } throws: { error in
        guard case .circuitOpen(_, let retryAfter) = error as? RedisError else { return false }
        return retryAfter == .seconds(30)
      }
      let connectsBefore = redis.poolSnapshot.statistics.misses
      await #expect(throws: RedisError.self) { _ = try await redis.getString("k") }
      #expect(redis.poolSnapshot.statistics.misses == connectsBefore)

      try await servers.command("start \(servers.basePort)")
      clock.advance(by: .seconds(29))
      await #expect(throws: RedisError.self) { _ = try await redis.getString("k") }
      clock.advance(by: .seconds(1))
      // The half-open probe goes through; the server kept the key (append-only file).
      #expect(try await redis.getString("k") == "v")
      #expect(redis.node.breaker.state == .closed)
    }
  }
}
