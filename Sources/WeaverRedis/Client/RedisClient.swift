import NIOCore
import NIOPosix
import ServiceLifecycle
import WeaverCore

/// A client of one Redis server (standalone or a single node): a pool of connections, a
/// circuit breaker, retries with jittered backoff, spans and metrics.
///
/// ```swift
/// let redis = RedisClient(node: RedisNodeAddress(host: "127.0.0.1", port: 6379))
/// try await redis.set("greeting", to: "hello", expiration: .after(.seconds(60)))
/// let greeting = try await redis.getString("greeting")
/// ```
/// Commands work at once; ``run()`` (a `ServiceLifecycle` service) adds upkeep (idle
/// connections closed, pool metrics) and closes the client when the service group stops.
public final class RedisClient: RedisCommandExecuting, Service {
  public let address: RedisNodeAddress
  public let configuration: RedisClientConfiguration
  let node: RedisNode
  let group: any EventLoopGroup
  private let time: TimeSource
  private let metrics: RedisMetrics
  private let tracing: RedisTracing

  public init(
    node address: RedisNodeAddress, configuration: RedisClientConfiguration = RedisClientConfiguration(),
    time: TimeSource = .continuous, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) {
    self.address = address
    self.configuration = configuration
    self.time = time
    self.group = group
    self.metrics = RedisMetrics(factory: configuration.metricsFactory)
    self.tracing = RedisTracing(enabled: configuration.tracing, database: configuration.connection.database, tracer: configuration.tracer)
    self.node = RedisNode(
      address: address, readOnly: false, configuration: configuration.connection, pool: configuration.pool,
      breaker: configuration.breaker, time: time, group: group, metrics: metrics)
  }

  public func execute(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
    try await tracing.withSpan(command.name, node: address) { _ throws(RedisError) in
      var generator = SystemRandomNumberGenerator()
      var retry = 0
      while true {
        do throws(RedisError) {
          let reply = try await node.send(command)
          if case .error(let error) = reply { throw RedisError.server(error) }
          metrics.commandEnded("ok")
          return reply
        } catch {
          guard retry < configuration.retry.maxRetries, let reason = RedisRetryOptions.retryReason(error, command: command) else {
            metrics.commandEnded(error.kind)
            throw error
          }
          metrics.retried(reason)
          do {
            try await time.sleep(configuration.retry.backoff(beforeRetry: retry, using: &generator))
          } catch {
            throw RedisError.cancelled
          }
          retry += 1
        }
      }
    }
  }

  public func pipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    await pipelineOnOneConnection(commands)
  }

  public func pipelineOnOneConnection(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    guard !commands.isEmpty else { return [] }
    let results: [Result<RESPValue, RedisError>]
    do {
      results = try await node.send(commands).map { reply in
        if case .error(let error) = reply { return .failure(.server(error)) }
        return .success(reply)
      }
    } catch {
      results = commands.map { _ in .failure(error) }
    }
    metrics.commandsEnded(results)
    return results
  }

  public func primaryNodes() async throws(RedisError) -> [RedisNodeAddress] { [address] }

  public func execute(_ command: RedisCommand, on node: RedisNodeAddress) async throws(RedisError) -> RESPValue {
    guard node == address else { throw .invalidArgument("this client talks to \(address), not \(node)") }
    return try await execute(command)
  }

  /// The pool's figures now.
  public var poolSnapshot: RedisConnectionPool.Snapshot { node.pool.snapshot }

  /// Upkeep until the service group stops or the task is cancelled; then the client closes.
  public func run() async throws {
    await node.pool.fillMinimumIdle()
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        self.node.pool.closeIdleConnections()
        self.metrics.report(pool: self.node.pool.snapshot, node: self.address)
        await self.node.pool.fillMinimumIdle()
        do { try await self.time.sleep(self.configuration.maintenanceInterval) } catch { break }
      }
    }
    shutdown()
  }

  /// Closes every connection; commands after this fail with ``RedisError/clientClosed``.
  public func shutdown() {
    node.close()
  }
}
