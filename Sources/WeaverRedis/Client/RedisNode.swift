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
  private let closed = Atomic<Bool>(false)

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
    if commands.count == 1 { return [try await send(commands[0])] }
    return try await throughBreaker { connection throws(RedisError) -> [RESPValue] in
      var replies: [RESPValue] = []
      replies.reserveCapacity(commands.count)
      for result in await connection.pipeline(commands) {
        replies.append(try result.get())
      }
      return replies
    }
  }

  /// Sends one command through the breaker; an error reply is a reply.
  func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
    try await throughBreaker { connection throws(RedisError) in try await connection.send(command) }
  }

  /// Runs `body` on a pooled connection if the breaker lets it, and tells the breaker how
  /// it went and how long it took.
  private func throughBreaker<T: Sendable>(
    _ body: (RedisConnection) async throws(RedisError) -> T
  ) async throws(RedisError) -> T {
    let start = time.now()
    let (permit, transition) = breaker.acquireWithTransition(now: start)
    if let transition { report(transition) }
    guard permit.isPermitted else {
      if case .rejected(let retryAfter) = permit { throw .circuitOpen(node: address, retryAfter: retryAfter) }
      throw .circuitOpen(node: address, retryAfter: .zero)
    }
    do {
      let result = try await pool.withConnection(body)
      let end = time.now()
      record(.success, permit: permit, latency: end - start, now: end)
      return result
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

  /// Whether ``close()`` was called (the node left the topology, or the client closed).
  var isClosed: Bool { closed.load(ordering: .relaxed) }

  /// Closes the node's connections.
  func close() {
    closed.store(true, ordering: .relaxed)
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
