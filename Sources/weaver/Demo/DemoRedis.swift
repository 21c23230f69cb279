import Foundation
import WeaverRedis

/// Where the demo finds Redis for the store's cache, and the cache client itself.
enum DemoRedis {
  /// A cache client and how to close it.
  struct Cache {
    var cache: DemoFeedCache
    var shutdown: () -> Void
  }

  /// The client `weaver demo server --redis|--redis-cluster` caches through, nil with neither.
  static func cache(standalone: String?, cluster: String?) throws -> Cache? {
    var configuration = RedisClientConfiguration()
    configuration.connection.connectTimeout = .milliseconds(500)
    configuration.connection.commandTimeout = .seconds(1)
    if let cluster {
      guard let seed = RedisNodeAddress(cluster) else { throw DemoError("--redis-cluster takes host:port, not '\(cluster)'") }
      let client = RedisClusterClient(seeds: [seed], configuration: configuration)
      return Cache(cache: DemoFeedCache(redis: client), shutdown: client.shutdown)
    }
    if let standalone {
      guard let address = RedisNodeAddress(standalone) else { throw DemoError("--redis takes host:port, not '\(standalone)'") }
      let client = RedisClient(node: address, configuration: configuration)
      return Cache(cache: DemoFeedCache(redis: client), shutdown: client.shutdown)
    }
    return nil
  }

  /// What the tour tells the store: `--redis-cluster` when `WEAVER_DEMO_REDIS_CLUSTER`
  /// names a node, else `--redis` when a server answers at `WEAVER_DEMO_REDIS` (default
  /// 127.0.0.1:6379) — as a cluster if that server is a cluster node. nil, with advice
  /// printed, when none answers.
  static func storeArguments(environment: [String: String]) async -> [String]? {
    let clusterSeed = environment["WEAVER_DEMO_REDIS_CLUSTER"]
    let named = clusterSeed ?? environment["WEAVER_DEMO_REDIS"] ?? "127.0.0.1:6379"
    guard let address = RedisNodeAddress(named) else {
      DemoOutput.line("   '\(named)' is not host:port; the store runs without a cache.")
      return nil
    }
    var configuration = RedisClientConfiguration()
    configuration.connection.connectTimeout = .milliseconds(500)
    configuration.connection.commandTimeout = .seconds(1)
    configuration.retry.maxRetries = 0
    let probe = RedisClient(node: address, configuration: configuration)
    defer { probe.shutdown() }
    do {
      _ = try await probe.ping()
    } catch {
      DemoOutput.line(
        """
           No Redis answers at \(address) (\(error)), so the store serves without a cache.
           To see it cache: apt-get install redis-server, then `redis-server --daemonize yes`, and run
           weaver demo again (WEAVER_DEMO_REDIS=host:port names another server,
           WEAVER_DEMO_REDIS_CLUSTER=host:port a node of a Redis Cluster).
        """)
      return nil
    }
    // A cluster node refuses keys of other nodes' slots: talk to it as a cluster.
    let isCluster = (try? await probe.send("CLUSTER", "INFO"))?.string?.contains("cluster_state") ?? false
    DemoOutput.line("   Redis \(isCluster ? "Cluster" : "server") at \(address): the store caches feed pages in it for 30 s.")
    return [isCluster ? "--redis-cluster" : "--redis", address.description]
  }
}

extension DemoRedis {
  /// Waits (up to 10 s) until the redis-server at `address` answers PING; returns its
  /// version line.
  static func waitForAnswer(at address: String) async throws -> String {
    guard let node = RedisNodeAddress(address) else { throw DemoError("'\(address)' is not host:port") }
    var configuration = RedisClientConfiguration()
    configuration.connection.connectTimeout = .milliseconds(200)
    configuration.retry.maxRetries = 0
    let deadline = ContinuousClock.now.advanced(by: .seconds(10))
    while ContinuousClock.now < deadline {
      let probe = RedisClient(node: node, configuration: configuration)
      defer { probe.shutdown() }
      if (try? await probe.ping()) != nil {
        let info = (try? await probe.send("INFO", "server"))?.string ?? ""
        return info.split(separator: "\r\n").first { $0.hasPrefix("redis_version:") }.map { "Redis " + $0.dropFirst("redis_version:".count) } ?? "Redis"
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw DemoError("the demo's redis-server did not answer on \(address) within 10 s")
  }
}
