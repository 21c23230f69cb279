/// A slot map with its primaries' nodes looked up once, so routing a command is two array
/// reads rather than a locked lookup by address.
struct ClusterRouting: Sendable {
  let topology: ClusterTopology
  /// The node of each shard's primary, by shard index.
  private let primaries: [RedisNode]

  init(_ topology: ClusterTopology, nodes: ClusterNodes) throws(RedisError) {
    self.topology = topology
    var primaries: [RedisNode] = []
    primaries.reserveCapacity(topology.shards.count)
    for shard in topology.shards { primaries.append(try nodes.node(shard.primary)) }
    self.primaries = primaries
  }

  /// The primary of shard `index`; looked up again if its node was closed since (a reload
  /// dropped it while this map was in use).
  func primary(ofShard index: Int, nodes: ClusterNodes) throws(RedisError) -> RedisNode {
    let node = primaries[index]
    return node.isClosed ? try nodes.node(node.address) : node
  }
}
