// docs/redis.md's code samples, compiled by the build and compared with the page by
// `DocSnippetTests`: edit them here, then paste them there.
import WeaverRedis

func redisQuickStart() async throws {
  // snippet: redis-quick-start
  // One server (standalone, or a single node), database 2, ACL user.
  var configuration = RedisClientConfiguration()
  configuration.connection.username = "app"
  configuration.connection.password = "s3cret"
  configuration.connection.database = 2
  let redis = RedisClient(node: RedisNodeAddress(host: "127.0.0.1", port: 6379), configuration: configuration)

  try await redis.set("greeting", to: "hello", expiration: .after(.seconds(60)))
  let greeting = try await redis.getString("greeting")  // "hello"
  let locked = try await redis.set("lock", to: "me", condition: .ifNotExists)  // SET … NX
  let visits = try await redis.incr("visits")

  // A cluster: any node is enough to learn the rest.
  let cluster = RedisClusterClient(seeds: [RedisNodeAddress(host: "10.0.0.1", port: 7000)])
  try await cluster.hset("user:{42}", fields: [("name", "Ada"), ("city", "London")])
  try await cluster.mset([("user:{42}:a", "1"), ("user:{42}:b", "2")])  // one hash tag: one slot
  // end-snippet
  _ = (greeting, locked, visits)
}

func redisPubSub(redis: RedisClient) async throws {
  // snippet: redis-pubsub
  let news = try await redis.subscribe(to: ["news", "alerts"])
  Task { try await redis.publish("hello", to: "news") }
  for try await message in news {  // RedisPubSubMessage: channel, pattern, payload
    print(message.channel, message.text)
  }
  // end-snippet
}

func redisWait(cluster: RedisClusterClient) async throws {
  // snippet: redis-wait
  var set = RedisCommand("SET")
  set.key("order:{7}:state")
  set.argument("paid")
  let (_, replicas) = try await cluster.wait(replicas: 1, timeout: .milliseconds(200), after: set)
  // replicas >= 1: a replica has it; it survives the primary's death
  // end-snippet
  _ = replicas
}
