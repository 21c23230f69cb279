import WeaverCore

/// nginx's smooth weighted round robin, as a value: each pick adds every candidate's weight
/// to its current weight, takes the candidate with the highest current weight (the first
/// one on a tie) and subtracts the candidates' total from it. Weights 5, 1, 1 give
/// a a b a c a a; from a fresh start every cycle of (sum of weights) picks matches the
/// weights exactly.
struct SmoothWeightedState: Sendable {
  /// Addresses in the order of the last update (new ones appended), and their current
  /// weights: a pick over the same list (the usual case) touches no hash table.
  private(set) var addresses: [String] = []
  private(set) var weights: [Int] = []
  private var positions: [String: Int] = [:]

  /// Current weight by address.
  var current: [String: Int] { Dictionary(uniqueKeysWithValues: zip(addresses, weights)) }

  /// Keeps the current weights of `instances`, drops the others.
  mutating func retain(_ instances: [Instance]) {
    let old = positions
    let oldWeights = weights
    addresses = []
    weights = []
    positions = [:]
    for instance in instances where positions[instance.address] == nil {
      positions[instance.address] = addresses.count
      addresses.append(instance.address)
      weights.append(old[instance.address].map { oldWeights[$0] } ?? 0)
    }
  }

  /// The slot of `address`, made if new.
  private mutating func position(_ address: String) -> Int {
    if let position = positions[address] { return position }
    positions[address] = addresses.count
    addresses.append(address)
    weights.append(0)
    return addresses.count - 1
  }

  /// The next pick among `candidates` (nil when empty). Weight 0 takes nothing unless every
  /// candidate has weight 0, then it is plain round robin.
  mutating func pick(from candidates: [Instance]) -> Instance? {
    guard !candidates.isEmpty else { return nil }
    let allZero = candidates.allSatisfy { $0.weight <= 0 }
    // Same list as the last update: slot i is candidate i (String == is a pointer check here).
    let aligned = candidates.count == addresses.count && candidates.indices.allSatisfy { candidates[$0].address == addresses[$0] }
    var total = 0
    var best: (index: Int, slot: Int, current: Int)? = nil
    for (index, candidate) in candidates.enumerated() {
      let weight = allZero ? 1 : max(candidate.weight, 0)
      guard weight > 0 else { continue }
      let slot = aligned ? index : position(candidate.address)
      weights[slot] += weight
      total += weight
      if weights[slot] > best?.current ?? .min { best = (index, slot, weights[slot]) }
    }
    guard let best else { return nil }
    weights[best.slot] -= total
    return candidates[best.index]
  }
}
