import WeaverCore

/// Picks one instance among the candidates routing and breakers left, and learns from the
/// calls it sends there.
///
/// Implementations keep per-instance state (current weights, latency averages, calls in
/// flight) keyed by the instance's address, so an instance whose weight or tags change is
/// still the same instance. Time and randomness come from the caller, so every
/// implementation is deterministic under test.
public protocol LoadBalancer: AnyObject, Sendable {
  /// The instances discovery knows now. State of instances that stay is kept (calls in
  /// flight are not disturbed); state of instances that left is dropped.
  func update(_ instances: [Instance])

  /// One of `candidates`; nil only when `candidates` is empty. `hashKey` is the request's
  /// affinity key (consistent hashing uses it; the others ignore it).
  func pick(from candidates: [Instance], hashKey: String?, now: Duration) -> Instance?

  /// A call to `instance` begins.
  func callStarted(_ instance: Instance)

  /// A call to `instance` that `callStarted` announced has ended.
  func callFinished(_ instance: Instance, latency: Duration, outcome: CallOutcome, now: Duration)
}

extension LoadBalancer {
  /// One of `candidates`, without an affinity key.
  public func pick(from candidates: [Instance], now: Duration) -> Instance? {
    pick(from: candidates, hashKey: nil, now: now)
  }
}

/// The balancer `rules` ask for; `seed` fixes its random choices (P2C's pairs).
public func makeLoadBalancer(rules: LoadBalancerRules, seed: UInt64) -> any LoadBalancer {
  switch rules.policy {
  case .weightedRoundRobin: SmoothWeightedRoundRobin()
  case .p2cPeakEWMA: PeakEWMABalancer(decay: rules.ewmaDecay, generator: SplitMix64(seed: seed))
  case .consistentHash: ConsistentHashBalancer(boundedLoadFactor: rules.boundedLoadFactor)
  }
}
