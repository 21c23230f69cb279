import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Tracing
import WeaverCore

/// A Redis Cluster client: learns the topology from `CLUSTER SHARDS` (or `CLUSTER SLOTS`),
/// sends each command to its slot's node, follows `MOVED` and `ASK`, retries
/// `TRYAGAIN`/`CLUSTERDOWN`/`LOADING` with jittered backoff, keeps a pool and a circuit
/// breaker per node, and splits pipelines by node.
///
/// ```swift
/// let cluster = RedisClusterClient(seeds: [RedisNodeAddress(host: "127.0.0.1", port: 7000)])
/// try await cluster.set("user:{42}:name", to: "Ada")
/// try await cluster.hset("user:{42}", field: "visits", to: 1)
/// ```
/// Commands work at once (the first one loads the topology); ``run()`` (a `ServiceLifecycle`
/// service) also reloads it periodically and closes the client when the group stops.
public final class RedisClusterClient: RedisCommandExecuting, Service {
  public let seeds: [RedisNodeAddress]
  public let configuration: RedisClientConfiguration
  public let options: RedisClusterOptions
  let time: TimeSource
  let metrics: RedisMetrics
  /// Redirects, retries and reloads so far.
  public let statistics = RedisClusterStatistics()
  private let tracing: RedisTracing
  let nodes: ClusterNodes
  private let logger: Logger
  private let state = Mutex(State())

  private struct State {
    var routing: ClusterRouting?
    /// The reload under way; others wait for it rather than start their own.
    var refresh: Task<ClusterTopology, any Error>?
    var closed = false
  }

  public init(
    seeds: [RedisNodeAddress], configuration: RedisClientConfiguration = RedisClientConfiguration(),
    options: RedisClusterOptions = RedisClusterOptions(), time: TimeSource = .continuous,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.seeds = seeds
    self.configuration = configuration
    self.options = options
    self.time = time
    self.logger = configuration.connection.logger
    self.metrics = RedisMetrics(factory: configuration.metricsFactory)
    self.tracing = RedisTracing(enabled: configuration.tracing, database: 0, tracer: configuration.tracer)
    self.nodes = ClusterNodes(configuration: configuration, time: time, group: group, metrics: metrics, statistics: statistics)
  }

  // MARK: Topology

  /// The slot map in use; loaded on first need.
  public func topology() async throws(RedisError) -> ClusterTopology {
    try await routing().topology
  }

  /// The slot map in use and its primaries' nodes; loaded on first need.
  func routing() async throws(RedisError) -> ClusterRouting {
    if let routing = state.withLock({ $0.routing }) { return routing }
    return try await reload()
  }

  /// Reloads the slot map from any node that answers; concurrent callers share one reload.
  @discardableResult
  public func refreshTopology() async throws(RedisError) -> ClusterTopology {
    try await reload().topology
  }

  /// Reloads the slot map (one reload at a time) and makes it the one in use.
  private func reload() async throws(RedisError) -> ClusterRouting {
    let task = try state.withLock { state throws(RedisError) -> Task<ClusterTopology, any Error> in
      guard !state.closed else { throw .clientClosed }
      if let refresh = state.refresh { return refresh }
      let refresh = Task { try await self.loadTopology() }
      state.refresh = refresh
      return refresh
    }
    do {
      let topology = try await task.value
      let routing = try ClusterRouting(topology, nodes: nodes)
      state.withLock { state in
        if state.refresh == task { state.refresh = nil }
        state.routing = routing
      }
      metrics.topologyRefreshed(ok: true)
      statistics.refreshed()
      nodes.retain(Set(topology.nodes + seeds))
      return routing
    } catch {
      state.withLock { state in
        if state.refresh == task { state.refresh = nil }
      }
      metrics.topologyRefreshed(ok: false)
      throw error as? RedisError ?? .clusterUnavailable("\(error)")
    }
  }

  /// Takes a `MOVED` reply's word for its slot at once and reloads the whole map behind it.
  func learn(_ redirect: ClusterRedirect) {
    state.withLock { state in
      guard let topology = state.routing?.topology.moving(slot: redirect.slot, to: redirect.node) else { return }
      if let routing = try? ClusterRouting(topology, nodes: nodes) { state.routing = routing }
    }
    refreshInBackground()
  }

  /// Starts a reload without waiting for it (after `MOVED` or a node's failure).
  func refreshInBackground() {
    Task { _ = try? await self.refreshTopology() }
  }

  private func loadTopology() async throws(RedisError) -> ClusterTopology {
    let known = state.withLock { $0.routing?.topology.nodes } ?? []
    var candidates = known.shuffled()
    for seed in seeds.shuffled() where !candidates.contains(seed) { candidates.append(seed) }
    var reasons: [String] = []
    for address in candidates {
      let node = try nodes.node(address)
      guard node.isAvailable else {
        reasons.append("\(address): circuit open")
        continue
      }
      do {
        var reply = try await node.send([RedisCommand("CLUSTER", arguments: ["SHARDS"])])[0]
        var topology: ClusterTopology
        if case .error = reply {
          reply = try await node.send([RedisCommand("CLUSTER", arguments: ["SLOTS"])])[0]
          if case .error(let error) = reply {
            reasons.append("\(address): \(error.message)")
            continue
          }
          topology = try ClusterTopology.fromSlots(reply)
        } else {
          topology = try ClusterTopology.fromShards(reply)
        }
        guard topology.coveredSlots > 0 else {
          reasons.append("\(address): serves no slots yet")
          continue
        }
        return topology
      } catch {
        reasons.append("\(address): \(error)")
      }
    }
    throw .clusterUnavailable(reasons.isEmpty ? "no seed nodes given" : reasons.joined(separator: "; "))
  }

  // MARK: Routing

  /// The node that should run `command` under `routing`.
  func target(for command: RedisCommand, in routing: ClusterRouting) throws(RedisError) -> RedisNode {
    switch command.slot {
    case .crossSlot:
      throw .crossSlot(command: command.name)
    case .none:
      guard let index = routing.topology.shards.indices.randomElement() else {
        throw .clusterUnavailable("the topology has no shards")
      }
      return try routing.primary(ofShard: index, nodes: nodes)
    case .slot(let slot):
      guard let index = routing.topology.shardIndex(forSlot: slot) else {
        throw .server(RedisServerError("CLUSTERDOWN Hash slot \(slot) not served"))
      }
      guard command.isReadOnly, options.readFrom != .primary else { return try routing.primary(ofShard: index, nodes: nodes) }
      return try readNode(of: routing.topology.shards[index])
    }
  }

  /// A node to read from: a random available replica, or the fastest of the shard.
  private func readNode(of shard: ClusterTopology.Shard) throws(RedisError) -> RedisNode {
    let primary = try nodes.node(shard.primary)
    var replicas: [RedisNode] = []
    for address in shard.replicas {
      let replica = try nodes.node(address, readOnly: true)
      if replica.isAvailable { replicas.append(replica) }
    }
    switch options.readFrom {
    case .primary:
      return primary
    case .replicaRandom:
      return replicas.randomElement() ?? primary
    case .lowestLatency:
      let candidates = primary.isAvailable ? [primary] + replicas : replicas
      // A node not measured yet counts as fastest, so every node gets measured.
      return candidates.min { ($0.latency ?? .zero) < ($1.latency ?? .zero) } ?? primary
    }
  }

  // MARK: Commands

  public func execute(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
    try await tracing.withSpan(command.name, node: nil) { span throws(RedisError) in
      do throws(RedisError) {
        let reply = try await executeRouted(command, span: span)
        metrics.commandEnded("ok")
        return reply
      } catch {
        metrics.commandEnded(error.kind)
        throw error
      }
    }
  }

  /// Runs `command` where its slot lives, following redirects and retrying.
  func executeRouted(_ command: RedisCommand, span: any Tracing.Span) async throws(RedisError) -> RESPValue {
    var generator = SystemRandomNumberGenerator()
    var redirects = 0
    var retries = 0
    /// Where a redirect sent the command, for the next try only.
    var redirected: ClusterRedirect?
    while true {
      let node: RedisNode
      var asking = false
      if let redirect = redirected {
        node = try nodes.node(redirect.node)
        asking = redirect.kind == .ask
        redirected = nil
      } else {
        node = try target(for: command, in: try await routing())
      }
      let failure: RedisError
      do throws(RedisError) {
        let reply = asking ? try await node.send([RedisCommand("ASKING"), command])[1] : try await node.send(command)
        guard case .error(let error) = reply else {
          span.attributes["server.address"] = node.address.host
          span.attributes["server.port"] = node.address.port
          return reply
        }
        if let redirect = error.redirect {
          guard redirects < options.maxRedirects else {
            throw .tooManyRedirects(command: command.name, last: redirect.description)
          }
          redirects += 1
          metrics.redirected(redirect.kind)
          statistics.redirected(redirect.kind)
          span.addEvent(SpanEvent(name: "redis.redirect", attributes: ["redis.redirect": SpanAttribute.string(redirect.description)]))
          if redirect.kind == .moved { learn(redirect) }
          redirected = redirect
          continue
        }
        failure = .server(error)
      } catch {
        failure = error
      }
      guard retries < configuration.retry.maxRetries, let reason = retryReason(failure, command: command) else {
        throw failure
      }
      retries += 1
      try await waitBeforeRetry(retries, reason: reason, using: &generator)
    }
  }

  /// Counts retry number `retry` (1 is the first), starts a topology reload unless the
  /// failure says the node is only busy, and sleeps the jittered backoff.
  func waitBeforeRetry(_ retry: Int, reason: String, using generator: inout some RandomNumberGenerator) async throws(RedisError) {
    metrics.retried(reason)
    statistics.retried()
    if reason != "tryagain" && reason != "loading" {
      // The node may be gone or demoted: learn the current map before the next try.
      refreshInBackground()
    }
    do {
      try await time.sleep(configuration.retry.backoff(beforeRetry: retry - 1, using: &generator))
    } catch {
      throw .cancelled
    }
  }

  /// A cluster also retries a node whose breaker is open: its slots may have moved.
  func retryReason(_ error: RedisError, command: RedisCommand) -> String? {
    if case .circuitOpen = error { return "circuit_open" }
    return RedisRetryOptions.retryReason(error, command: command)
  }

  public func primaryNodes() async throws(RedisError) -> [RedisNodeAddress] {
    try await topology().shards.map(\.primary)
  }

  public func execute(_ command: RedisCommand, on address: RedisNodeAddress) async throws(RedisError) -> RESPValue {
    let reply = try await nodes.node(address).send([command])[0]
    if case .error(let error) = reply { throw .server(error) }
    return reply
  }

  /// Each node's pool figures now.
  public var poolSnapshots: [RedisNodeAddress: RedisConnectionPool.Snapshot] {
    var snapshots: [RedisNodeAddress: RedisConnectionPool.Snapshot] = [:]
    for node in nodes.all { snapshots[node.address] = node.pool.snapshot }
    return snapshots
  }

  // MARK: Lifecycle

  /// Reloads the topology every ``RedisClusterOptions/topologyRefreshInterval`` and keeps
  /// the pools tidy until the service group stops or the task is cancelled; then closes.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      var sinceRefresh = Duration.zero
      while !Task.isCancelled {
        for node in self.nodes.all {
          node.pool.closeIdleConnections()
          self.metrics.report(pool: node.pool.snapshot, node: node.address)
          await node.pool.fillMinimumIdle()
        }
        if sinceRefresh >= self.options.topologyRefreshInterval {
          sinceRefresh = .zero
          do {
            try await self.refreshTopology()
          } catch {
            self.logger.warning("redis cluster topology refresh failed: \(error)")
          }
        }
        let step = min(self.configuration.maintenanceInterval, self.options.topologyRefreshInterval)
        do { try await self.time.sleep(step) } catch { break }
        sinceRefresh += step
      }
    }
    shutdown()
  }

  /// Closes every connection; commands after this fail with ``RedisError/clientClosed``.
  public func shutdown() {
    let refresh = state.withLock { state in
      state.closed = true
      return state.refresh
    }
    refresh?.cancel()
    nodes.closeAll()
  }
}
