import NIOCore
import Synchronization
import WeaverCore

/// The connections a client keeps to one instance.
///
/// On multiplexed transports (TTHeader, THeader) calls share connections: a call takes the
/// least busy one, and a new one is opened (up to the maximum) when all carry
/// `maxConcurrentCallsPerConnection`. On Framed and unframed transports a call has a
/// connection to itself; when all `maxConnectionsPerInstance` are busy, calls wait (until
/// their deadline) for one to be released.
final class ThriftConnectionPool: Sendable {
  let instance: Instance
  private let configuration: ThriftClientConfiguration
  private let group: any EventLoopGroup
  private let state = Mutex(State())

  private struct State {
    var connections: [ThriftClientConnection] = []
    /// Exclusive mode: connections not carrying a call.
    var idle: [ThriftClientConnection] = []
    var connecting = 0
    var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var nextWaiter: UInt64 = 0
    var closed = false
  }

  private enum Decision {
    case use(ThriftClientConnection)
    case connect
    case wait
  }

  init(instance: Instance, configuration: ThriftClientConfiguration, group: any EventLoopGroup) {
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
        do {
          let connection = try await ThriftClientConnection.connect(to: instance, configuration: configuration, group: group)
          let evict = connection.channel.closeFuture
          evict.whenComplete { [weak self] _ in self?.remove(connection) }
          state.withLock { state in
            state.connecting -= 1
            state.connections.append(connection)
          }
          connection.inFlight.wrappingAdd(1, ordering: .relaxed)
          return connection
        } catch {
          state.withLock { $0.connecting -= 1 }
          wakeOne()
          throw error
        }
      case .wait:
        try await waitForRelease(deadline: deadline)
      }
    }
  }

  private func decide(_ state: inout State) -> Decision {
    state.connections.removeAll { !$0.isReusable && $0.inFlight.load(ordering: .relaxed) == 0 }
    let limit = configuration.maxConnectionsPerInstance
    if exclusive {
      while let connection = state.idle.popLast() {
        if connection.isReusable {
          connection.inFlight.wrappingAdd(1, ordering: .relaxed)
          return .use(connection)
        }
      }
      if state.connections.count + state.connecting < limit {
        state.connecting += 1
        return .connect
      }
      return .wait
    }
    var leastBusy: ThriftClientConnection?
    var leastLoad = Int.max
    for connection in state.connections where connection.isReusable {
      let load = connection.inFlight.load(ordering: .relaxed)
      if load < leastLoad {
        leastBusy = connection
        leastLoad = load
      }
    }
    let canGrow = state.connections.count + state.connecting < limit
    if let leastBusy, leastLoad < configuration.maxConcurrentCallsPerConnection || !canGrow {
      leastBusy.inFlight.wrappingAdd(1, ordering: .relaxed)
      return .use(leastBusy)
    }
    if canGrow {
      state.connecting += 1
      return .connect
    }
    return .wait
  }

  /// Gives a connection back after a call.
  func release(_ connection: ThriftClientConnection) {
    let remaining = connection.inFlight.wrappingSubtract(1, ordering: .relaxed).newValue
    if !connection.isReusable && remaining == 0 {
      connection.close()
    } else if exclusive {
      state.withLock { $0.idle.append(connection) }
    }
    wakeOne()
  }

  private func remove(_ connection: ThriftClientConnection) {
    state.withLock { state in
      state.connections.removeAll { $0 === connection }
      state.idle.removeAll { $0 === connection }
    }
    wakeOne()
  }

  private func wakeOne() {
    let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      guard let first = state.waiters.keys.min() else { return nil }
      return state.waiters.removeValue(forKey: first)
    }
    waiter?.resume()
  }

  /// Waits until a connection may be free, the deadline passes, or the task is cancelled.
  private func waitForRelease(deadline: ContinuousClock.Instant?) async throws {
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
        let cancelled = state.withLock { state -> Bool in
          if Task.isCancelled { return true }
          state.waiters[id] = continuation
          return false
        }
        if cancelled { continuation.resume(throwing: RPCError(.cancelled, "the calling task was cancelled")) }
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
