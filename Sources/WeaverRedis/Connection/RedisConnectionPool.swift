import NIOCore
import Synchronization
import WeaverCore

/// The connections a client keeps to one node. A command leases a connection to itself
/// (its pipeline, if any, goes on it in one write) and gives it back; when all
/// ``RedisPoolOptions/poolSize`` are leased, commands wait, first come first served, up to
/// the pool timeout.
public final class RedisConnectionPool: Sendable {
  public let node: RedisNodeAddress
  private let options: RedisPoolOptions
  private let connect: @Sendable () async throws(RedisError) -> RedisConnection
  private let time: TimeSource
  private let group: any EventLoopGroup
  private let state = Mutex(State())

  private struct Idle {
    var connection: RedisConnection
    var since: Duration
  }

  private enum Grant {
    case connection(RedisConnection)
    /// A slot freed up: open a new connection in it.
    case connect
  }

  private struct State {
    var idle: [Idle] = []
    /// Connections open or being opened, leased or idle.
    var open = 0
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Grant, any Error>)] = []
    var nextWaiter: UInt64 = 0
    var closed = false
    var statistics = RedisPoolStatistics()
  }

  /// Figures of a pool at one moment.
  public struct Snapshot: Sendable, Hashable {
    public var open: Int
    public var idle: Int
    public var waiting: Int
    public var statistics: RedisPoolStatistics
    public var inUse: Int { open - idle }
  }

  init(
    node: RedisNodeAddress, options: RedisPoolOptions, time: TimeSource, group: any EventLoopGroup,
    connect: @escaping @Sendable () async throws(RedisError) -> RedisConnection
  ) {
    self.node = node
    self.options = options
    self.time = time
    self.group = group
    self.connect = connect
  }

  public var snapshot: Snapshot {
    state.withLock { Snapshot(open: $0.open, idle: $0.idle.count, waiting: $0.waiters.count, statistics: $0.statistics) }
  }

  /// Runs `body` with a connection of the pool; a connection that broke is not given back.
  public func withConnection<T: Sendable>(_ body: (RedisConnection) async throws(RedisError) -> T) async throws(RedisError) -> T {
    let connection = try await lease()
    do {
      let result = try await body(connection)
      release(connection)
      return result
    } catch {
      release(connection, broken: error.poisonsConnection)
      throw error
    }
  }

  /// A connection for one command or pipeline; give it back with ``release(_:broken:)``.
  public func lease() async throws(RedisError) -> RedisConnection {
    let now = time.now()
    enum Decision {
      case use(RedisConnection)
      case connect
      case wait
    }
    var stale: [RedisConnection] = []
    let decision = try state.withLock { state throws(RedisError) -> Decision in
      guard !state.closed else { throw .clientClosed }
      while let last = state.idle.popLast() {
        if last.connection.isActive && now - last.since < options.idleTimeout {
          state.statistics.hits += 1
          return .use(last.connection)
        }
        state.open -= 1
        stale.append(last.connection)
      }
      if state.open < options.poolSize {
        state.open += 1
        state.statistics.misses += 1
        return .connect
      }
      state.statistics.waits += 1
      return .wait
    }
    for connection in stale { connection.close() }
    switch decision {
    case .use(let connection): return connection
    case .connect: return try await openConnection()
    case .wait:
      switch try await waitForGrant() {
      case .connection(let connection): return connection
      case .connect: return try await openConnection()
      }
    }
  }

  /// Gives a leased connection back; `broken` (or a closed connection) closes it and frees
  /// its slot.
  public func release(_ connection: RedisConnection, broken: Bool = false) {
    let usable = !broken && connection.isActive
    let now = time.now()
    let (waiter, grant, close) = state.withLock { state -> (CheckedContinuation<Grant, any Error>?, Grant, Bool) in
      if state.closed {
        state.open -= 1
        return (nil, .connect, true)
      }
      if !state.waiters.isEmpty {
        let waiter = state.waiters.removeFirst().continuation
        if usable { return (waiter, .connection(connection), false) }
        return (waiter, .connect, true)
      }
      if usable {
        state.idle.append(Idle(connection: connection, since: now))
        return (nil, .connect, false)
      }
      state.open -= 1
      return (nil, .connect, true)
    }
    if close { connection.close() }
    waiter?.resume(returning: grant)
  }

  /// Closes idle connections unused for the idle timeout, keeping ``RedisPoolOptions/minIdle``.
  public func closeIdleConnections() {
    let now = time.now()
    let expired = state.withLock { state -> [RedisConnection] in
      var expired: [RedisConnection] = []
      // Oldest first: the front of the stack was released longest ago.
      while state.idle.count > options.minIdle, let first = state.idle.first,
        !first.connection.isActive || now - first.since >= options.idleTimeout
      {
        expired.append(state.idle.removeFirst().connection)
        state.open -= 1
      }
      return expired
    }
    for connection in expired { connection.close() }
  }

  /// Opens connections until ``RedisPoolOptions/minIdle`` are idle (best effort: a node
  /// that does not answer is left for the next time).
  public func fillMinimumIdle() async {
    while true {
      let shouldOpen = state.withLock { state -> Bool in
        guard !state.closed, state.idle.count < options.minIdle, state.open < options.poolSize else { return false }
        state.open += 1
        return true
      }
      guard shouldOpen else { return }
      guard let connection = try? await openConnection() else { return }
      release(connection)
    }
  }

  /// Closes every connection and fails commands waiting for one; the pool takes no more.
  public func close() {
    let (idle, waiters) = state.withLock { state in
      state.closed = true
      let idle = state.idle.map(\.connection)
      state.open -= idle.count
      state.idle = []
      let waiters = state.waiters.map(\.continuation)
      state.waiters = []
      return (idle, waiters)
    }
    for connection in idle { connection.close() }
    for waiter in waiters { waiter.resume(throwing: RedisError.clientClosed) }
  }

  /// Opens a connection in a slot already counted in `open`; frees the slot if it fails.
  private func openConnection() async throws(RedisError) -> RedisConnection {
    do {
      return try await connect()
    } catch {
      let waiter = state.withLock { state -> CheckedContinuation<Grant, any Error>? in
        state.statistics.connectFailures += 1
        if !state.waiters.isEmpty, !state.closed {
          // The slot passes to the first waiter, which tries for itself.
          return state.waiters.removeFirst().continuation
        }
        state.open -= 1
        return nil
      }
      waiter?.resume(returning: .connect)
      throw error
    }
  }

  private func waitForGrant() async throws(RedisError) -> Grant {
    let id = state.withLock { state -> UInt64 in
      state.nextWaiter += 1
      return state.nextWaiter
    }
    let timeout = options.poolTimeout
    let node = self.node
    let timer = group.any().scheduleTask(in: .nanoseconds(timeout.redisNanoseconds)) { [weak self] in
      self?.abandonWaiter(id, with: .poolTimeout(node: node, after: timeout))
    }
    defer { timer.cancel() }
    do {
      return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
          let enqueued = state.withLock { state -> Bool in
            guard !state.closed, !Task.isCancelled else { return false }
            state.waiters.append((id, continuation))
            return true
          }
          if !enqueued { continuation.resume(throwing: Task.isCancelled ? RedisError.cancelled : RedisError.clientClosed) }
        }
      } onCancel: {
        self.abandonWaiter(id, with: .cancelled)
      }
    } catch let error as RedisError {
      throw error
    } catch {
      throw .clientClosed
    }
  }

  private func abandonWaiter(_ id: UInt64, with error: RedisError) {
    let waiter = state.withLock { state -> CheckedContinuation<Grant, any Error>? in
      guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
      state.statistics.timeouts += 1
      return state.waiters.remove(at: index).continuation
    }
    waiter?.resume(throwing: error)
  }
}

/// What a pool has done over its life.
public struct RedisPoolStatistics: Sendable, Hashable {
  /// Leases served by an idle connection.
  public var hits = 0
  /// Leases that opened a connection.
  public var misses = 0
  /// Leases that waited for a busy connection.
  public var waits = 0
  /// Waits that ran out of time.
  public var timeouts = 0
  public var connectFailures = 0
}
