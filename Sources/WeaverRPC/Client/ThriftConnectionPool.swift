import NIOCore
import Synchronization
import WeaverCore

/// The connections a client keeps to one instance.
///
/// On multiplexed transports (TTHeader, THeader) calls share connections: a call takes the
/// least busy one; a new one is opened (up to the maximum) when all carry
/// `maxConcurrentCallsPerConnection`, and calls arriving while it connects wait for it
/// rather than each opening another. On Framed and unframed transports a call has a
/// connection to itself; when all `maxConnectionsPerInstance` are busy, calls wait (until
/// their deadline) for one to be released.
///
/// A failed connect fails every call waiting for that connection at once and starts a
/// jittered, capped backoff (``ReconnectBackoff``); until it ends, calls that would need a
/// new connection fail fast with the connect error instead of connecting again.
final class ThriftConnectionPool: Sendable {
  let instance: Instance
  private let configuration: ThriftClientConfiguration
  private let group: any EventLoopGroup
  private let statistics: TransportStatistics
  private let state = Mutex(State())

  private struct State {
    var connections: [ThriftClientConnection] = []
    /// Exclusive mode: connections not carrying a call.
    var idle: [ThriftClientConnection] = []
    var connecting = 0
    var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var nextWaiter: UInt64 = 0
    /// Bumped whenever capacity may have appeared, so a call that decided to wait never
    /// misses the change that happened before it started waiting.
    var generation: UInt64 = 0
    var closed = false
    var backoff = ConnectBackoffState()
    /// Connects started, over the pool's life.
    var connectAttempts = 0
  }

  private enum Decision {
    case use(ThriftClientConnection)
    case connect
    case wait(generation: UInt64)
    case fail(RPCError)
  }

  init(instance: Instance, configuration: ThriftClientConfiguration, group: any EventLoopGroup, statistics: TransportStatistics) {
    self.statistics = statistics
    self.instance = instance
    self.configuration = configuration
    self.group = group
  }

  private var exclusive: Bool { !configuration.transport.isMultiplexed }

  /// A connection for one call; pass it to ``release(_:)`` when the call is over.
  func acquire(deadline: ContinuousClock.Instant?) async throws -> ThriftClientConnection {
    while true {
      let decision = try state.withLock { state throws(RPCError) -> Decision in
        guard !state.closed else { throw RPCError(.unavailable, "the client is closed") }
        return decide(&state)
      }
      switch decision {
      case .use(let connection):
        return connection
      case .connect:
        return try await connect()
      case .wait(let generation):
        statistics.waited()
        try await waitForCapacity(after: generation, deadline: deadline)
      case .fail(let error):
        changed { _ in }  // calls waiting behind this one fail fast too
        throw error
      }
    }
  }

  private func connect() async throws -> ThriftClientConnection {
    do {
      let connection = try await ThriftClientConnection.connect(
        to: instance, configuration: configuration, group: group, statistics: statistics,
        mayCloseWhenIdle: { [weak self] connection in self?.letGoIdle(connection) ?? true },
        onServerDraining: { [weak self] in self?.serverDraining() })
      connection.channel.closeFuture.whenComplete { [weak self] _ in self?.remove(connection) }
      connection.inFlight.wrappingAdd(1, ordering: .relaxed)
      statistics.opened()
      changed { state in
        state.connecting -= 1
        state.connections.append(connection)
        state.backoff.connected()
      }
      return connection
    } catch {
      statistics.refused()
      let failure = error as? RPCError ?? RPCError(.connectFailed, "cannot connect to \(instance): \(error)")
      // Every call waiting for this connection decides again, and fails fast while backing off.
      changed { state in
        state.connecting -= 1
        state.backoff.connectFailed(
          failure, at: .now, policy: configuration.reconnectBackoff, random: Double.random(in: 0..<1))
      }
      throw failure
    }
  }

  /// The instance said it is shutting down: hold off new connections to it.
  func serverDraining() {
    changed { state in
      state.backoff.serverDraining(at: .now, policy: configuration.reconnectBackoff, random: Double.random(in: 0..<1))
    }
  }

  /// Connects started to this instance so far.
  var connectAttempts: Int { state.withLock { $0.connectAttempts } }

  /// Whether a new connection may be opened now; if not, the error calls fail with.
  private func mayConnect(_ state: inout State) -> RPCError? {
    let now = ContinuousClock.now
    guard state.backoff.mayConnect(at: now) else { return state.backoff.failFastError(at: now) }
    state.connecting += 1
    state.connectAttempts += 1
    return nil
  }

  private func decide(_ state: inout State) -> Decision {
    state.connections.removeAll { !$0.isReusable && $0.inFlight.load(ordering: .relaxed) == 0 }
    let limit = configuration.maxConnectionsPerInstance
    let canGrow = state.connections.count + state.connecting < limit
    if exclusive {
      while let connection = state.idle.popLast() {
        if connection.isReusable {
          connection.inFlight.wrappingAdd(1, ordering: .relaxed)
          return .use(connection)
        }
      }
      if canGrow {
        if let error = mayConnect(&state) {
          // Backing off: calls wait for busy connections, if there are any, or fail now.
          return state.connections.isEmpty && state.connecting == 0 ? .fail(error) : .wait(generation: state.generation)
        }
        return .connect
      }
      return .wait(generation: state.generation)
    }
    let perConnection = configuration.maxConcurrentCallsPerConnection
    var leastBusy: ThriftClientConnection?
    var leastLoad = Int.max
    for connection in state.connections where connection.isReusable {
      let load = connection.inFlight.load(ordering: .relaxed)
      if load < leastLoad {
        leastBusy = connection
        leastLoad = load
      }
    }
    if let leastBusy, leastLoad < perConnection {
      leastBusy.inFlight.wrappingAdd(1, ordering: .relaxed)
      return .use(leastBusy)
    }
    // Connections being opened will take this many calls between them: wait for one.
    if state.waiters.count < state.connecting * perConnection {
      return .wait(generation: state.generation)
    }
    if canGrow {
      guard let error = mayConnect(&state) else { return .connect }
      // Backing off: share what is open, wait for a connect under way, or fail now.
      if leastBusy == nil && state.connecting == 0 { return .fail(error) }
    }
    if let leastBusy {
      leastBusy.inFlight.wrappingAdd(1, ordering: .relaxed)
      return .use(leastBusy)  // every connection is full and no more may be opened: share
    }
    return .wait(generation: state.generation)
  }

  /// Gives a connection back after a call.
  func release(_ connection: ThriftClientConnection) {
    let remaining = connection.inFlight.wrappingSubtract(1, ordering: .relaxed).newValue
    if remaining == 0 {
      if connection.isReusable { connection.becameIdle() } else { connection.close() }
    }
    guard connection.isReusable else {
      // It can take no more calls (closed, or the server is draining): no capacity came
      // back, but every waiting call decides again (to connect anew, or fail fast).
      changed { state in
        if remaining == 0 { state.connections.removeAll { $0 === connection } }
      }
      return
    }
    // One call's worth of capacity came back: one waiting call may take it.
    if exclusive {
      let maxIdle = configuration.maxIdleConnectionsPerInstance ?? configuration.maxConnectionsPerInstance
      var surplus = false
      changed(wakingAll: false) { state in
        if state.idle.count < maxIdle {
          state.idle.append(connection)
        } else {
          surplus = true
          state.connections.removeAll { $0 === connection }
        }
      }
      if surplus { connection.close() }
    } else {
      changed(wakingAll: false) { _ in }
    }
  }

  /// Whether an idle connection may close: yes while the pool keeps more than its minimum
  /// (and then it leaves the pool at once, so two idle connections cannot both take the
  /// last place above the minimum).
  private func letGoIdle(_ connection: ThriftClientConnection) -> Bool {
    let minimum = configuration.minIdleConnectionsPerInstance
    return state.withLock { state in
      // A call may have just taken it (calls are counted in under this lock).
      guard connection.inFlight.load(ordering: .relaxed) == 0 else { return false }
      guard state.connections.count > minimum || !state.connections.contains(where: { $0 === connection }) else { return false }
      state.connections.removeAll { $0 === connection }
      state.idle.removeAll { $0 === connection }
      return true
    }
  }

  private func remove(_ connection: ThriftClientConnection) {
    changed { state in
      state.connections.removeAll { $0 === connection }
      state.idle.removeAll { $0 === connection }
    }
  }

  /// Applies `change` and wakes waiting calls (the longest-waiting one, or all) to decide
  /// again.
  private func changed(wakingAll: Bool = true, _ change: (inout State) -> Void) {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
      change(&state)
      state.generation &+= 1
      if wakingAll {
        defer { state.waiters = [:] }
        return Array(state.waiters.values)
      }
      guard let first = state.waiters.keys.min() else { return [] }
      return state.waiters.removeValue(forKey: first).map { [$0] } ?? []
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Waits until capacity may have appeared since `generation`, the deadline passes, or the
  /// task is cancelled.
  private func waitForCapacity(after generation: UInt64, deadline: ContinuousClock.Instant?) async throws {
    let id = state.withLock { state -> UInt64 in
      state.nextWaiter += 1
      return state.nextWaiter
    }
    let timeout: Scheduled<Void>? = deadline.map { deadline in
      group.next().scheduleTask(in: ContinuousClock.now.duration(to: deadline).timeAmount) { [weak self] in
        self?.resumeWaiter(id, throwing: RPCError(.deadlineExceeded, "no connection to \(self?.instance.description ?? "") became free before the deadline"))
      }
    }
    defer { timeout?.cancel() }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        enum Outcome { case waiting, decideAgain, cancelled }
        let outcome = state.withLock { state -> Outcome in
          if Task.isCancelled { return .cancelled }
          if state.generation != generation || state.closed { return .decideAgain }
          state.waiters[id] = continuation
          return .waiting
        }
        switch outcome {
        case .waiting: break
        case .decideAgain: continuation.resume()
        case .cancelled: continuation.resume(throwing: RPCError(.cancelled, "the calling task was cancelled"))
        }
      }
    } onCancel: {
      resumeWaiter(id, throwing: RPCError(.cancelled, "the calling task was cancelled"))
    }
  }

  private func resumeWaiter(_ id: UInt64, throwing error: RPCError) {
    state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: error)
  }

  /// Closes every connection; calls in flight fail with `connectionClosed`.
  func close() {
    let (connections, waiters) = state.withLock { state in
      state.closed = true
      defer {
        state.connections = []
        state.idle = []
        state.waiters = [:]
      }
      return (state.connections, Array(state.waiters.values))
    }
    for connection in connections { connection.close() }
    for waiter in waiters { waiter.resume(throwing: RPCError(.unavailable, "the client is closed")) }
  }

  var connectionCount: Int { state.withLock { $0.connections.count } }
}
