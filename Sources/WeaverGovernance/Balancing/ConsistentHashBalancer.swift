import Synchronization
import WeaverCore

/// Consistent hashing with bounded load (Mirrokni, Thorup, Zadimoghaddam, "Consistent
/// Hashing with Bounded Loads", 2017): a key goes to the first instance clockwise on the
/// ring that is a candidate and has fewer than
/// `ceil(boundedLoadFactor × (calls in flight + 1) / candidates)` calls in flight, so no
/// instance carries more than about `boundedLoadFactor` × the average and a hot key spills
/// over to its ring neighbours.
///
/// The same key maps to the same instance while that instance is a candidate and not
/// overloaded; removing an instance moves only the keys it had. A pick without a key uses
/// smooth weighted round robin. Weight 0 takes nothing unless every candidate has weight 0.
public final class ConsistentHashBalancer: LoadBalancer {
  private struct State: Sendable {
    var ring = HashRing()
    var inFlight: [String: Int] = [:]
    var roundRobin = SmoothWeightedState()
  }

  private let boundedLoadFactor: Double
  private let state = Mutex(State())

  /// A balancer that lets an instance take at most `boundedLoadFactor` × the average load
  /// (values below 1 count as 1, which is the tightest bound that always has room).
  public init(boundedLoadFactor: Double = 1.25) {
    self.boundedLoadFactor = boundedLoadFactor.isNaN ? 1 : max(boundedLoadFactor, 1)
  }

  /// A balancer following `rules.boundedLoadFactor`.
  public convenience init(rules: LoadBalancerRules) {
    self.init(boundedLoadFactor: rules.boundedLoadFactor)
  }

  public func update(_ instances: [Instance]) {
    let addresses = Set(instances.map(\.address))
    state.withLock { state in
      if state.ring.members.count != addresses.count || !instances.allSatisfy(state.ring.holds) {
        state.ring = HashRing(instances)
      }
      state.inFlight = state.inFlight.filter { addresses.contains($0.key) }
      state.roundRobin.retain(instances)
    }
  }

  public func pick(from candidates: [Instance], hashKey: String?, now: Duration) -> Instance? {
    guard let hashKey else { return state.withLock { $0.roundRobin.pick(from: candidates) } }
    let eligible = candidates.takingTraffic
    guard eligible.count > 1 else { return eligible.first }
    return state.withLock { state in
      // Candidates discovery has not announced yet join the ring until the next update.
      let missing = eligible.filter { state.ring.members[$0.address] == nil }
      if !missing.isEmpty { state.ring = state.ring.adding(missing) }

      var byAddress: [String: Instance] = [:]
      var total = 0
      for candidate in eligible {
        byAddress[candidate.address] = candidate
        total += state.inFlight[candidate.address, default: 0]
      }
      let limit = capacity(totalInFlight: total, candidates: byAddress.count)
      let points = state.ring.points
      let start = state.ring.firstIndex(atOrAfter: StableHash.hash(hashKey))
      for step in 0..<points.count {
        let address = points[(start + step) % points.count].address
        if let instance = byAddress[address], state.inFlight[address, default: 0] < limit {
          return instance
        }
      }
      // Unreachable while the factor is at least 1; the least loaded, to be safe.
      return eligible.min { state.inFlight[$0.address, default: 0] < state.inFlight[$1.address, default: 0] }
    }
  }

  public func callStarted(_ instance: Instance) {
    state.withLock { $0.inFlight[instance.address, default: 0] += 1 }
  }

  public func callFinished(_ instance: Instance, latency: Duration, outcome: CallOutcome, now: Duration) {
    state.withLock { state in
      guard let count = state.inFlight[instance.address] else { return }
      state.inFlight[instance.address] = max(count - 1, 0)
    }
  }

  /// An instance takes one more call only while it has fewer than this in flight:
  /// `ceil(c × (total + 1) / n)`.
  func capacity(totalInFlight: Int, candidates: Int) -> Int {
    Int((boundedLoadFactor * Double(totalInFlight + 1) / Double(max(candidates, 1))).rounded(.up))
  }

  /// Calls in flight to `instance` as far as the balancer knows.
  func inFlight(_ instance: Instance) -> Int {
    state.withLock { $0.inFlight[instance.address] ?? 0 }
  }
}
