import Synchronization
import WeaverCore

/// Power of two choices over peak-EWMA latency (Finagle's and linkerd's balancer): two
/// distinct random candidates, the one with the lower load wins, where
/// load = latency estimate × (calls in flight + 1) / (weight / 100).
///
/// The estimate jumps to a slower sample at once and decays toward faster ones with
/// `w = exp(-Δt/τ)`, τ = ``LoadBalancerRules/ewmaDecay``; between samples it fades toward
/// 0, so a slow instance is probed again after a while. An instance never measured costs 0
/// while idle (it gets a first call) and a large penalty while that call is in flight.
/// Failed calls never lower an estimate (a fast failure must not attract traffic);
/// cancelled calls leave it alone. Weight 0 takes nothing unless every candidate has
/// weight 0.
public final class PeakEWMABalancer: LoadBalancer {
  private struct State: Sendable {
    var generator: any RandomNumberGenerator & Sendable
    var instances: [String: PeakEWMA] = [:]
  }

  private let tau: Duration
  private let state: Mutex<State>

  /// A balancer whose estimates decay with time constant `decay` and whose pairs come from
  /// `generator`.
  public init(decay: Duration = .seconds(10), generator: some RandomNumberGenerator & Sendable) {
    self.tau = decay
    self.state = Mutex(State(generator: generator))
  }

  /// A balancer following `rules.ewmaDecay`, with pairs drawn from `SplitMix64(seed:)`.
  public convenience init(rules: LoadBalancerRules, seed: UInt64) {
    self.init(decay: rules.ewmaDecay, generator: SplitMix64(seed: seed))
  }

  public func update(_ instances: [Instance]) {
    let addresses = Set(instances.map(\.address))
    state.withLock { state in
      state.instances = state.instances.filter { addresses.contains($0.key) }
      for address in addresses where state.instances[address] == nil {
        state.instances[address] = PeakEWMA()
      }
    }
  }

  public func pick(from candidates: [Instance], hashKey: String?, now: Duration) -> Instance? {
    let eligible = candidates.takingTraffic
    guard eligible.count > 1 else { return eligible.first }
    return state.withLock { state in
      let first = Int.random(in: 0..<eligible.count, using: &state.generator)
      var second = Int.random(in: 0..<(eligible.count - 1), using: &state.generator)
      if second >= first { second += 1 }
      let a = eligible[first]
      let b = eligible[second]
      return load(of: a, in: state, now: now) <= load(of: b, in: state, now: now) ? a : b
    }
  }

  public func callStarted(_ instance: Instance) {
    state.withLock { $0.instances[instance.address, default: PeakEWMA()].pending += 1 }
  }

  public func callFinished(_ instance: Instance, latency: Duration, outcome: CallOutcome, now: Duration) {
    state.withLock { state in
      guard var ewma = state.instances[instance.address] else { return }
      ewma.pending = max(ewma.pending - 1, 0)
      let sample = PeakEWMA.nanoseconds(latency)
      switch outcome {
      case .failure(.cancelled):
        break
      case .failure:
        ewma.observe(max(sample, ewma.cost(at: now, tau: tau)), at: now, tau: tau)
      case .success, .declaredError:
        ewma.observe(sample, at: now, tau: tau)
      }
      state.instances[instance.address] = ewma
    }
  }

  private func load(of instance: Instance, in state: State, now: Duration) -> Double {
    let ewma = state.instances[instance.address] ?? PeakEWMA()
    return ewma.load(at: now, tau: tau) * 100 / Double(max(instance.weight, 1))
  }

  /// The latency estimate of `instance` at `now` in nanoseconds; nil before its first
  /// sample (tests and diagnostics).
  func cost(of instance: Instance, now: Duration) -> Double? {
    state.withLock { state in
      guard let ewma = state.instances[instance.address], ewma.measured else { return nil }
      return ewma.cost(at: now, tau: tau)
    }
  }

  /// Calls in flight to `instance` as far as the balancer knows.
  func inFlight(_ instance: Instance) -> Int {
    state.withLock { $0.instances[instance.address]?.pending ?? 0 }
  }
}
