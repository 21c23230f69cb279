import Foundation
import NIOCore
import Testing
import WeaverTestSupport

@testable import WeaverRedis

/// Pub/sub against real servers: a subscription is an `AsyncSequence` of messages.
@Suite(.serialized) struct PubSubTests {
  @Test func aStandaloneSubscriptionReceivesChannelsAndPatternsInOrder() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      // The publisher speaks RESP2: a subscription has its own RESP3 connection either way.
      var configuration = RedisClientConfiguration()
      configuration.connection.protocolVersion = .resp2
      let redis = RedisClient(node: RedisNodeAddress(host: "127.0.0.1", port: servers.basePort), configuration: configuration)
      defer { redis.shutdown() }
      let news = try await redis.subscribe(to: ["news", "alerts"])
      let patterned = try await redis.subscribe(toPatterns: ["news.*"])

      // Subscribed when subscribe returns: these are all delivered, in order.
      let everyByte = (0...255).map { UInt8($0) }
      #expect(try await redis.publish("first", to: "news") == 1)
      #expect(try await redis.publish(everyByte, to: "alerts") == 1)
      #expect(try await redis.publish("sports", to: "news.sports") == 1)
      #expect(try await redis.publish("nobody listens", to: "elsewhere") == 0)
      #expect(try await redis.publish("last", to: "news") == 1)

      var received: [RedisPubSubMessage] = []
      for try await message in news {
        received.append(message)
        if received.count == 3 { break }
      }
      #expect(received.map(\.channel) == ["news", "alerts", "news"])
      #expect(received[0].text == "first")
      #expect(Array(buffer: received[1].payload) == everyByte)
      #expect(received[2].text == "last")

      var iterator = patterned.makeAsyncIterator()
      let sports = try await iterator.next()
      #expect(sports == RedisPubSubMessage(channel: "news.sports", pattern: "news.*", payload: ByteBuffer(string: "sports")))

      // Closing ends iteration and the server forgets the subscriber.
      patterned.close()
      #expect(try await iterator.next() == nil)
      news.close()
      var subscribers = 1
      for _ in 0..<200 where subscribers > 0 {
        subscribers = try await redis.send("PUBSUB", "NUMSUB", "news").elements?[1].int ?? -1
        if subscribers > 0 { try await Task.sleep(for: .milliseconds(10)) }
      }
      #expect(subscribers == 0)
    }
  }

  @Test func aDroppedConnectionEndsTheSubscriptionWithATypedError() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let redis = RedisClient(node: RedisNodeAddress(host: "127.0.0.1", port: servers.basePort))
      defer { redis.shutdown() }
      let subscription = try await redis.subscribe(to: ["news"])
      _ = try await redis.send("CLIENT", "KILL", "TYPE", "pubsub")
      await #expect {
        for try await _ in subscription {}
      } throws: { error in
        if case .connectionClosed = error as? RedisError { return true }
        return false
      }
      await #expect(throws: RedisError.invalidArgument("subscribe to at least one channel or pattern")) {
        _ = try await redis.subscribe(to: [])
      }
    }
  }

  @Test func aClusterSubscriptionHearsPublishesMadeOnEveryNode() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let cluster = ClusterRoutingTests.client(servers)
      defer { cluster.shutdown() }
      let subscription = try await cluster.subscribe(to: ["cluster-news"])
      // Published through each node in turn (the cluster forwards PUBLISH to all nodes),
      // and once by redis-cli, an independent client.
      for port in servers.ports {
        var publish = RedisCommand("PUBLISH")
        publish.argument("cluster-news")
        publish.argument("from \(port)")
        _ = try await cluster.execute(publish, on: RedisNodeAddress(host: "127.0.0.1", port: port))
      }
      _ = try await ExternalTool.run(
        ["redis-cli", "-p", String(servers.ports[5]), "PUBLISH", "cluster-news", "from redis-cli"], hint: RedisTestServers.hint)
      var texts: [String] = []
      for try await message in subscription {
        texts.append(message.text)
        if texts.count == 7 { break }
      }
      subscription.close()
      #expect(Set(texts) == Set(servers.ports.map { "from \($0)" } + ["from redis-cli"]))
    }
  }
}
