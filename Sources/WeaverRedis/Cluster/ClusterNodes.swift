import NIOCore
import Synchronization
import WeaverCore
import WeaverGovernance

/// The nodes a cluster client has talked to, by address and by whether their connections
/// read from a replica (`READONLY`); made on first use, closed when they leave the topology.
final class ClusterNodes: Sendable {
  private struct Key: Hashable {
    var address: RedisNodeAddress
    var readOnly: Bool
  }

  private let configuration: RedisClientConfiguration
  private let time: TimeSource
  let group: any EventLoopGroup
  private let metrics: RedisMetrics
  private let statistics: RedisClusterStatistics
  private let nodes = Mutex<(byKey: [Key: RedisNode], closed: Bool)>(([:], false))

  init(
    configuration: RedisClientConfiguration, time: TimeSource, group: any EventLoopGroup, metrics: RedisMetrics,
    statistics: RedisClusterStatistics
  ) {
    self.statistics = statistics
    self.configuration = configuration
    self.time = time
    self.group = group
    self.metrics = metrics
  }

  /// The node at `address`, made if new.
  func node(_ address: RedisNodeAddress, readOnly: Bool = false) throws(RedisError) -> RedisNode {
    let key = Key(address: address, readOnly: readOnly)
    return try nodes.withLock { nodes throws(RedisError) -> RedisNode in
      guard !nodes.closed else { throw .clientClosed }
      if let node = nodes.byKey[key] { return node }
      var connection = configuration.connection
      connection.database = 0
      let node = RedisNode(
        address: address, readOnly: readOnly, configuration: connection, pool: configuration.pool,
        breaker: configuration.breaker, time: time, group: group, metrics: metrics
      ) { [statistics] transition in
        if transition.to == .open { statistics.circuitOpened() }
      }
      nodes.byKey[key] = node
      return node
    }
  }

  /// Every node made so far.
  var all: [RedisNode] { nodes.withLock { Array($0.byKey.values) } }

  /// Closes and forgets nodes not at `addresses` (their leased connections close when given back).
  func retain(_ addresses: Set<RedisNodeAddress>) {
    let gone = nodes.withLock { nodes -> [RedisNode] in
      let leaving = nodes.byKey.filter { !addresses.contains($0.key.address) }
      for key in leaving.keys { nodes.byKey[key] = nil }
      return Array(leaving.values)
    }
    for node in gone { node.close() }
  }

  func closeAll() {
    let all = nodes.withLock { nodes -> [RedisNode] in
      nodes.closed = true
      defer { nodes.byKey = [:] }
      return Array(nodes.byKey.values)
    }
    for node in all { node.close() }
  }
}
