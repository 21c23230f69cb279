import Synchronization
import WeaverCore

/// nginx's smooth weighted round robin: picks follow the weights exactly and spread evenly
/// (weights 5, 1, 1 give a a b a c a a). Weight 0 takes nothing unless every candidate has
/// weight 0, then it is plain round robin. The candidates' current weights are used at
/// each pick, so a weight change applies from the next pick on.
public final class SmoothWeightedRoundRobin: LoadBalancer {
  private let state = Mutex(SmoothWeightedState())

  public init() {}

  public func update(_ instances: [Instance]) {
    state.withLock { $0.retain(instances) }
  }

  public func pick(from candidates: [Instance], hashKey: String?, now: Duration) -> Instance? {
    state.withLock { $0.pick(from: candidates) }
  }

  /// Round robin does not follow calls.
  public func callStarted(_ instance: Instance) {}

  /// Round robin does not follow calls.
  public func callFinished(_ instance: Instance, latency: Duration, outcome: CallOutcome, now: Duration) {}
}
