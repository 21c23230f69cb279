import WeaverCore

/// A consistent-hash ring: each instance owns virtual nodes at stable 64-bit hashes of
/// `host:port#i`. The ring depends only on the set of instances and their weights, never
/// on their order or on the process, so every client places a key on the same instance,
/// and removing an instance moves only the keys it owned.
struct HashRing: Sendable {
  struct Point: Sendable {
    var hash: UInt64
    var address: String
  }

  /// Virtual nodes of an instance of weight 100.
  static let nodesPerDefaultWeight = 100
  /// Virtual nodes of the heaviest instance (weight 1 000 and above).
  static let maxNodes = 1_000

  /// Points in clockwise order (ascending hash, then address).
  private(set) var points: [Point] = []
  /// The instances on the ring, by address.
  private(set) var members: [String: Instance] = [:]

  init(_ instances: [Instance] = []) {
    for instance in instances { members[instance.address] = instance }
    for (address, instance) in members {
      for i in 0..<Self.virtualNodes(weight: instance.weight) {
        points.append(Point(hash: StableHash.hash("\(address)#\(i)"), address: address))
      }
    }
    points.sort { ($0.hash, $0.address) < ($1.hash, $1.address) }
  }

  /// 100 × weight / 100 virtual nodes, at least 1 (a weight-0 instance still has a place,
  /// for when every candidate has weight 0) and at most ``maxNodes``.
  static func virtualNodes(weight: Int) -> Int {
    min(max(nodesPerDefaultWeight * weight / 100, 1), maxNodes)
  }

  /// Whether the ring holds `instance` with its current weight.
  func holds(_ instance: Instance) -> Bool {
    members[instance.address]?.weight == instance.weight
  }

  /// The ring with `instances` added (or re-weighted).
  func adding(_ instances: [Instance]) -> HashRing {
    var all = members
    for instance in instances { all[instance.address] = instance }
    return HashRing(Array(all.values))
  }

  /// The index of the first point clockwise from `hash` (wrapping past the top).
  func firstIndex(atOrAfter hash: UInt64) -> Int {
    var low = 0
    var high = points.count
    while low < high {
      let mid = (low + high) / 2
      if points[mid].hash < hash { low = mid + 1 } else { high = mid }
    }
    return low == points.count ? 0 : low
  }
}
