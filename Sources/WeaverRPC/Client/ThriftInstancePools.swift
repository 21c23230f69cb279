import NIOCore
import Synchronization
import WeaverCore

/// The connection pools of a client, one per instance it has called: made on first use,
/// closed when their instance leaves discovery or the client closes.
final class ThriftInstancePools: Sendable {
  private let configuration: ThriftClientConfiguration
  private let group: any EventLoopGroup
  private let state = Mutex(State())

  private struct State {
    var pools: [Instance: ThriftConnectionPool] = [:]
    var closed = false
  }

  /// What every pool's connections moved and did.
  let statistics = TransportStatistics()

  init(configuration: ThriftClientConfiguration, group: any EventLoopGroup) {
    self.configuration = configuration
    self.group = group
  }

  /// Instances discovery knows; pools of instances that left are closed.
  func update(_ instances: [Instance]) {
    let removed = state.withLock { state -> [ThriftConnectionPool] in
      let known = Set(instances)
      let gone = state.pools.filter { !known.contains($0.key) }
      for key in gone.keys { state.pools[key] = nil }
      return Array(gone.values)
    }
    for pool in removed { pool.close() }
  }

  /// The pool of `instance`, made if needed.
  func pool(for instance: Instance) throws(RPCError) -> ThriftConnectionPool {
    try state.withLock { state throws(RPCError) -> ThriftConnectionPool in
      guard !state.closed else { throw RPCError(.unavailable, "the client is closed") }
      if let pool = state.pools[instance] { return pool }
      let pool = ThriftConnectionPool(instance: instance, configuration: configuration, group: group, statistics: statistics)
      state.pools[instance] = pool
      return pool
    }
  }

  func close() {
    let pools = state.withLock { state -> [ThriftConnectionPool] in
      state.closed = true
      defer { state.pools = [:] }
      return Array(state.pools.values)
    }
    for pool in pools { pool.close() }
  }

  var all: [ThriftConnectionPool] { state.withLock { Array($0.pools.values) } }
}
