import WeaverRedis

/// The keys `weaver bench redis` draws, as `redis-benchmark -r N` does: `key:` and a random
/// number below N in twelve digits. On a cluster, like `redis-benchmark --cluster`, each
/// worker keeps to one primary (worker `w` to primary `w % primaries`) and each batch to one
/// of that primary's slots, named by a hash tag: `key:{3Xb}:000000012345`. A batch then
/// goes to one node in one write, as redis-benchmark's connections send theirs.
struct RedisBenchKeys: Sendable {
  let keyspace: Int
  /// Each primary's slots; empty for a standalone server.
  let slotsByPrimary: [[UInt16]]
  /// For each slot, a short hash tag that hashes to it; empty for a standalone server.
  let tags: [String]

  /// Keys for a standalone server.
  init(keyspace: Int) {
    self.keyspace = keyspace
    self.slotsByPrimary = []
    self.tags = []
  }

  /// Keys for `topology`'s primaries.
  init(keyspace: Int, topology: ClusterTopology) {
    self.keyspace = keyspace
    self.slotsByPrimary = topology.shards.map { shard in shard.slots.flatMap { Array($0) } }.filter { !$0.isEmpty }
    self.tags = Self.slotTags()
  }

  /// What the keys of worker `worker`'s next batch start with.
  func batchPrefix(worker: Int, using random: inout some RandomNumberGenerator) -> String {
    guard !slotsByPrimary.isEmpty else { return "key:" }
    let slots = slotsByPrimary[worker % slotsByPrimary.count]
    return "key:{" + tags[Int(slots.randomElement(using: &random)!)] + "}:"
  }

  /// A key: `prefix` and a random number of the keyspace in twelve digits, made in place
  /// (as redis-benchmark fills in its keys) rather than by joining strings.
  func key(_ prefix: String, using random: inout some RandomNumberGenerator) -> String {
    var number = Int.random(in: 0..<keyspace, using: &random)
    let prefixBytes = prefix.utf8
    return String(unsafeUninitializedCapacity: prefixBytes.count + 12) { bytes in
      var index = 0
      for byte in prefixBytes {
        bytes[index] = byte
        index += 1
      }
      for position in (index..<(index + 12)).reversed() {
        bytes[position] = UInt8(ascii: "0") + UInt8(number % 10)
        number /= 10
      }
      return index + 12
    }
  }

  /// A tag for every slot: the first strings of letters and digits, shortest first, to
  /// hash to each (about 160 000 are tried).
  static func slotTags() -> [String] {
    let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    var tags = [String?](repeating: nil, count: Int(HashSlot.count))
    var missing = tags.count
    var number = 0
    while missing > 0 {
      var tag = ""
      var rest = number
      repeat {
        tag.append(alphabet[rest % alphabet.count])
        rest /= alphabet.count
      } while rest > 0
      let slot = Int(HashSlot.slot(of: tag))
      if tags[slot] == nil {
        tags[slot] = tag
        missing -= 1
      }
      number += 1
    }
    return tags.map { $0! }
  }
}
