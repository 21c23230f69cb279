import WeaverCore

/// nginx's smooth weighted round robin, as a value: each pick adds every candidate's weight
/// to its current weight, takes the candidate with the highest current weight (the first
/// one on a tie) and subtracts the candidates' total from it. Weights 5, 1, 1 give
/// a a b a c a a; from a fresh start every cycle of (sum of weights) picks matches the
/// weights exactly.
struct SmoothWeightedState: Sendable {
  /// Current weight by address.
  private(set) var current: [String: Int] = [:]

  /// Keeps the current weights of `instances`, drops the others.
  mutating func retain(_ instances: [Instance]) {
    let kept = Set(instances.map(\.address))
    current = current.filter { kept.contains($0.key) }
  }

  /// The next pick among `candidates` (nil when empty). Weight 0 takes nothing unless every
  /// candidate has weight 0, then it is plain round robin.
  mutating func pick(from candidates: [Instance]) -> Instance? {
    guard !candidates.isEmpty else { return nil }
    let allZero = candidates.allSatisfy { $0.weight <= 0 }
    var total = 0
    var best: (instance: Instance, current: Int)? = nil
    for candidate in candidates {
      let weight = allZero ? 1 : max(candidate.weight, 0)
      guard weight > 0 else { continue }
      let value = current[candidate.address, default: 0] + weight
      current[candidate.address] = value
      total += weight
      if value > best?.current ?? .min { best = (candidate, value) }
    }
    guard let best else { return nil }
    current[best.instance.address] = best.current - total
    return best.instance
  }
}
