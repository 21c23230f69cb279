/// Which node serves which slots: each shard's primary, its replicas and its slot ranges.
public struct ClusterTopology: Sendable, Hashable {
  public struct Shard: Sendable, Hashable {
    public var primary: RedisNodeAddress
    /// Replicas not marked failed. `CLUSTER SHARDS` calls a replica that has not reported a
    /// replication offset yet "loading" (every replica of a fresh, empty cluster); such a
    /// replica serves reads, and one that really is loading answers `LOADING`, which is retried.
    public var replicas: [RedisNodeAddress]
    public var slots: [ClosedRange<UInt16>]

    public init(primary: RedisNodeAddress, replicas: [RedisNodeAddress] = [], slots: [ClosedRange<UInt16>]) {
      self.primary = primary
      self.replicas = replicas
      self.slots = slots
    }
  }

  public let shards: [Shard]
  /// For each slot, the index of its shard; -1 when no shard serves it.
  private let owners: [Int16]

  public init(shards: [Shard]) {
    let shards = shards.filter { !$0.slots.isEmpty }.sorted { $0.slots[0].lowerBound < $1.slots[0].lowerBound }
    var owners = [Int16](repeating: -1, count: Int(HashSlot.count))
    for (index, shard) in shards.enumerated() {
      for range in shard.slots where range.upperBound < HashSlot.count {
        for slot in range { owners[Int(slot)] = Int16(index) }
      }
    }
    self.shards = shards
    self.owners = owners
  }

  private init(shards: [Shard], owners: [Int16]) {
    self.shards = shards
    self.owners = owners
  }

  /// This map with `slot` served by `primary`, as a `MOVED` reply says: the next command for
  /// the slot goes straight there, before the full reload the client starts at the same time.
  public func moving(slot: UInt16, to primary: RedisNodeAddress) -> ClusterTopology {
    guard slot < HashSlot.count, shard(forSlot: slot)?.primary != primary else { return self }
    var shards = self.shards
    var owners = self.owners
    let previous = owners[Int(slot)]
    if previous >= 0 {
      shards[Int(previous)].slots = shards[Int(previous)].slots.flatMap { range -> [ClosedRange<UInt16>] in
        guard range.contains(slot) else { return [range] }
        var rest: [ClosedRange<UInt16>] = []
        if range.lowerBound < slot { rest.append(range.lowerBound...(slot - 1)) }
        if slot < range.upperBound { rest.append((slot + 1)...range.upperBound) }
        return rest
      }
    }
    if let index = shards.firstIndex(where: { $0.primary == primary }) {
      shards[index].slots.append(slot...slot)
      owners[Int(slot)] = Int16(index)
    } else {
      // A node the map does not know yet (a new primary, say): its own shard until the reload.
      shards.append(Shard(primary: primary, slots: [slot...slot]))
      owners[Int(slot)] = Int16(shards.count - 1)
    }
    return ClusterTopology(shards: shards, owners: owners)
  }

  /// The shard serving `slot`, nil when none does.
  public func shard(forSlot slot: UInt16) -> Shard? {
    shardIndex(forSlot: slot).map { shards[$0] }
  }

  /// The index in ``shards`` of the shard serving `slot`, nil when none does.
  func shardIndex(forSlot slot: UInt16) -> Int? {
    let index = owners[Int(slot)]
    return index < 0 ? nil : Int(index)
  }

  /// How many slots some shard serves (16384 in a healthy cluster).
  public var coveredSlots: Int { owners.lazy.filter { $0 >= 0 }.count }

  /// Every node named, primaries first.
  public var nodes: [RedisNodeAddress] {
    shards.map(\.primary) + shards.flatMap(\.replicas)
  }

  /// Reads a `CLUSTER SHARDS` reply (Redis 7+; RESP2 arrays and RESP3 maps alike).
  public static func fromShards(_ reply: RESPValue) throws(RedisError) -> ClusterTopology {
    guard let entries = reply.elements else { throw unexpected("CLUSTER SHARDS", reply) }
    var shards: [Shard] = []
    for entry in entries {
      guard let fields = entry.pairs.map(Self.dictionary) else { throw unexpected("CLUSTER SHARDS", reply) }
      guard let bounds = fields["slots"]?.elements?.compactMap(\.int), bounds.count % 2 == 0 else {
        throw unexpected("CLUSTER SHARDS", reply)
      }
      let slots = try stride(from: 0, to: bounds.count, by: 2).map { index throws(RedisError) -> ClosedRange<UInt16> in
        guard let low = UInt16(exactly: bounds[index]), let high = UInt16(exactly: bounds[index + 1]), low <= high,
          high < HashSlot.count
        else { throw unexpected("CLUSTER SHARDS", reply) }
        return low...high
      }
      var primary: RedisNodeAddress?
      var replicas: [RedisNodeAddress] = []
      for node in fields["nodes"]?.elements ?? [] {
        guard let nodeFields = node.pairs.map(Self.dictionary) else { continue }
        let endpoint = nodeFields["endpoint"]?.string
        let host = (endpoint == nil || endpoint == "?" || endpoint == "") ? nodeFields["ip"]?.string : endpoint
        guard let host, let port = nodeFields["port"]?.int, port > 0 else { continue }
        let address = RedisNodeAddress(host: host, port: port)
        // A failed node is left out: after a failover the old primary may still be listed
        // as "master" beside the promoted replica until it returns as a replica.
        guard nodeFields["health"]?.string != "fail" else { continue }
        if nodeFields["role"]?.string == "master" {
          primary = address
        } else {
          replicas.append(address)
        }
      }
      guard let primary else { continue }  // a shard mid-failover without a primary yet
      shards.append(Shard(primary: primary, replicas: replicas, slots: slots))
    }
    return ClusterTopology(shards: shards)
  }

  /// Reads a `CLUSTER SLOTS` reply (every Redis with cluster mode).
  public static func fromSlots(_ reply: RESPValue) throws(RedisError) -> ClusterTopology {
    guard let entries = reply.elements else { throw unexpected("CLUSTER SLOTS", reply) }
    var byPrimary: [RedisNodeAddress: Shard] = [:]
    var order: [RedisNodeAddress] = []
    for entry in entries {
      guard let parts = entry.elements, parts.count >= 3, let low = parts[0].int.flatMap(UInt16.init(exactly:)),
        let high = parts[1].int.flatMap(UInt16.init(exactly:)), low <= high, high < HashSlot.count
      else { throw unexpected("CLUSTER SLOTS", reply) }
      let nodes = parts[2...].compactMap { node -> RedisNodeAddress? in
        guard let fields = node.elements, fields.count >= 2, let host = fields[0].string, !host.isEmpty,
          let port = fields[1].int, port > 0
        else { return nil }
        return RedisNodeAddress(host: host, port: port)
      }
      guard let primary = nodes.first else { continue }
      if byPrimary[primary] == nil {
        byPrimary[primary] = Shard(primary: primary, replicas: Array(nodes.dropFirst()), slots: [])
        order.append(primary)
      }
      byPrimary[primary]!.slots.append(low...high)
    }
    return ClusterTopology(shards: order.map { byPrimary[$0]! })
  }

  private static func dictionary(_ pairs: [RESPPair]) -> [String: RESPValue] {
    var fields: [String: RESPValue] = [:]
    for pair in pairs {
      if let key = pair.key.string { fields[key] = pair.value }
    }
    return fields
  }

  private static func unexpected(_ command: String, _ reply: RESPValue) -> RedisError {
    .unexpectedReply(command: command, reply: reply.brief)
  }
}
