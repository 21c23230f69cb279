import Logging
import NIOCore
import Synchronization
import WeaverCore
import WeaverGovernance

/// One server a client talks to: its pool, its circuit breaker and how fast it answers.
final class RedisNode: Sendable {
  let address: RedisNodeAddress
  /// Whether its connections read from a replica (`READONLY`).
  let readOnly: Bool
  let pool: RedisConnectionPool
  let breaker: CircuitBreaker
  private let time: TimeSource
  private let metrics: RedisMetrics
  private let logger: Logger
  private let onBreakerChange: (@Sendable (BreakerTransition) -> Void)?
  /// Exponentially weighted average reply time, in nanoseconds (0: none yet).
  private let averageLatency = Atomic<Int64>(0)

  init(
    address: RedisNodeAddress, readOnly: Bool, configuration: RedisConnectionConfiguration, pool options: RedisPoolOptions,
    breaker rules: BreakerRules, time: TimeSource, group: any EventLoopGroup, metrics: RedisMetrics,
    onBreakerChange: (@Sendable (BreakerTransition) -> Void)? = nil
  ) {
    self.address = address
    self.readOnly = readOnly
    self.onBreakerChange = onBreakerChange
    self.time = time
    self.metrics = metrics
    self.logger = configuration.logger
    self.breaker = CircuitBreaker(rules: rules)
    self.pool = RedisConnectionPool(node: address, options: options, time: time, group: group) { () async throws(RedisError) in
      try await RedisConnection.connect(to: address, configuration: configuration, readOnly: readOnly, group: group)
    }
  }

  /// The average reply time so far; nil before the first reply.
  var latency: Duration? {
    let nanoseconds = averageLatency.load(ordering: .relaxed)
    return nanoseconds == 0 ? nil : .nanoseconds(nanoseconds)
  }

  /// Whether the breaker would let a command through now.
  var isAvailable: Bool { breaker.wouldAllow(now: time.now()) }

  /// Sends `commands` on one connection (one write) through the breaker; replies in order.
  /// Error replies are replies (the node answered); a failure of the node fails them all.
  func send(_ commands: [RedisCommand]) async throws(RedisError) -> [RESPValue] {
    let start = time.now()
    let (permit, transition) = breaker.acquireWithTransition(now: start)
    if let transition { report(transition) }
    guard permit.isPermitted else {
      if case .rejected(let retryAfter) = permit { throw .circuitOpen(node: address, retryAfter: retryAfter) }
      throw .circuitOpen(node: address, retryAfter: .zero)
    }
    do {
      let replies = try await pool.withConnection { connection throws(RedisError) -> [RESPValue] in
        if commands.count == 1 { return [try await connection.send(commands[0])] }
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for result in await connection.pipeline(commands) {
          replies.append(try result.get())
        }
        return replies
      }
      let end = time.now()
      record(.success, permit: permit, latency: end - start, now: end)
      return replies
    } catch {
      switch error {
      case .poolTimeout, .cancelled, .clientClosed:
        // Busy here, or given up by the caller: says nothing about the node.
        breaker.cancel(permit: permit)
        if case .poolTimeout = error { metrics.poolTimedOut(node: address) }
      default:
        let end = time.now()
        record(CallOutcome(error: error), permit: permit, latency: end - start, now: end)
      }
      throw error
    }
  }

  private func record(_ outcome: CallOutcome, permit: BreakerPermit, latency: Duration, now: Duration) {
    if let transition = breaker.record(outcome, latency: latency, permit: permit, now: now) {
      report(transition)
    }
    if outcome == .success { updateLatency(latency) }
  }

  private func updateLatency(_ latency: Duration) {
    let sample = max(1, latency.redisNanoseconds)
    let previous = averageLatency.load(ordering: .relaxed)
    let next = previous == 0 ? sample : previous + (sample - previous) / 8
    averageLatency.store(max(1, next), ordering: .relaxed)
  }

  private func report(_ transition: BreakerTransition) {
    metrics.breakerChanged(node: address, to: transition.to)
    onBreakerChange?(transition)
    logger.warning("redis node circuit breaker \(transition)", metadata: ["redis.node": "\(address)"])
  }

  /// Closes the node's connections.
  func close() {
    pool.close()
  }
}

extension BreakerRules {
  /// The per-node default: open after 3 failures in a row (connect failures, broken
  /// connections, timeouts), stay open 30 s, then let one probe through.
  public static var redisNodeDefault: BreakerRules {
    var rules = BreakerRules()
    rules.consecutiveFailures = 3
    rules.openDuration = .seconds(30)
    rules.failureRateThreshold = 100
    rules.halfOpenProbes = 1
    rules.halfOpenSuccesses = 1
    rules.countedFailures = [.connectFailed, .connectionClosed, .deadlineExceeded]
    return rules
  }
}
