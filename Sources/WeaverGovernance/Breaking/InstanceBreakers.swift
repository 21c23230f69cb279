import Synchronization
import WeaverCore

/// A transition of one instance's breaker.
public struct InstanceBreakerTransition: Sendable, Hashable, CustomStringConvertible {
  public var instance: Instance
  public var transition: BreakerTransition

  public init(instance: Instance, transition: BreakerTransition) {
    self.instance = instance
    self.transition = transition
  }

  /// `10.0.0.7:9090 closed → open: 5 consecutive failures`.
  public var description: String { "\(instance) \(transition)" }
}

/// One breaker per instance of a target service, with a cap on how many may eject
/// (be open or half-open) at once, so breakers never empty the cluster.
///
/// Breakers follow an instance's address (`host:port`): a change of weight or labels keeps
/// its breaker. ``update(instances:)`` adds breakers for new instances and drops those of
/// instances that left; ``acquire(_:now:)`` also creates one for an instance it has not
/// seen (it counts towards the cluster until the next update leaves it out). Outcomes and
/// cancellations for unknown instances are ignored.
///
/// **Ejection cap.** With `n` instances and `p` = ``InstanceBreakerRules/maxEjectionPercent``
/// (clamped to 0…100), at most `floor(p × n / 100)` breakers may be ejected at once, but at
/// least 1 when `n ≥ 2` and `p > 0` (so 40% of 5 is 2, 10% of 5 is 1, 50% of 1 is 0, 100%
/// of 1 is 1, and 0% never ejects). A breaker that would trip while the cap is reached
/// stays closed, starts counting afresh, and ``record(_:latency:permit:instance:now:)``
/// returns a closed → closed transition whose reason starts with `ejection capped`.
/// Breakers already ejected may re-open after a failed probe (they stay ejected), and stay
/// ejected when fewer instances lower the cap; forced-open breakers (a manual rule) are
/// not counted.
public final class InstanceBreakers: Sendable {
  struct Entry: Sendable {
    var instance: Instance
    var machine: BreakerStateMachine
  }

  struct Registry: Sendable {
    var rules: InstanceBreakerRules
    var entries: [String: Entry] = [:]
    /// Breakers open or half-open.
    var ejected = 0

    var limit: Int { InstanceBreakers.ejectionLimit(instances: entries.count, maxEjectionPercent: rules.maxEjectionPercent) }

    /// Runs `body` on the breaker of `address`, keeping ``ejected`` in step.
    mutating func modify<R>(_ address: String, _ body: (inout BreakerStateMachine) -> R) -> R? {
      guard let index = entries.index(forKey: address) else { return nil }  // one hash, then in place
      // One in-place access: reading the state through the dictionary would copy the entry.
      return Self.update(&entries.values[index].machine, ejected: &ejected, body)
    }

    private static func update<R>(_ machine: inout BreakerStateMachine, ejected: inout Int, _ body: (inout BreakerStateMachine) -> R) -> R {
      let before = machine.state
      let result = body(&machine)
      ejected += (InstanceBreakers.isEjected(machine.state) ? 1 : 0) - (InstanceBreakers.isEjected(before) ? 1 : 0)
      return result
    }

    mutating func recount() {
      ejected = entries.values.count(where: { InstanceBreakers.isEjected($0.machine.state) })
    }
  }

  private let registry: Mutex<Registry>

  public init(rules: InstanceBreakerRules = InstanceBreakerRules(), instances: [Instance] = []) {
    var registry = Registry(rules: rules)
    for instance in instances {
      registry.entries[instance.address] = Entry(instance: instance, machine: BreakerStateMachine(rules: rules.breaker))
    }
    self.registry = Mutex(registry)
  }

  /// The most breakers that may be ejected at once among `instances` (see the type's
  /// documentation).
  public static func ejectionLimit(instances: Int, maxEjectionPercent: Double) -> Int {
    guard instances > 0, maxEjectionPercent.isFinite, maxEjectionPercent > 0 else { return 0 }
    let percent = min(100, maxEjectionPercent)
    // The small allowance absorbs binary rounding (70% of 10 is 7, not 6.9999…).
    let share = Int((percent * Double(instances) / 100 + 1e-9).rounded(.down))
    return min(instances, instances >= 2 ? max(1, share) : share)
  }

  static func isEjected(_ state: BreakerState) -> Bool {
    switch state {
    case .open, .halfOpen: true
    case .closed, .forcedOpen, .disabled: false
    }
  }

  /// The rules in force.
  public var rules: InstanceBreakerRules {
    registry.withLock { $0.rules }
  }

  /// Instances with a breaker.
  public var count: Int {
    registry.withLock { $0.entries.count }
  }

  /// Breakers open or half-open now.
  public var ejectedCount: Int {
    registry.withLock { $0.ejected }
  }

  /// The most breakers that may be ejected at once now.
  public var ejectionLimit: Int {
    registry.withLock { $0.limit }
  }

  /// The state of `instance`'s breaker; nil if it has none.
  public func state(of instance: Instance) -> BreakerState? {
    registry.withLock { $0.entries[instance.address]?.machine.state }
  }

  /// Sets the service's instances: keeps the breakers of those that stay, adds closed ones
  /// for newcomers, drops those of instances that left.
  public func update(instances: [Instance]) {
    registry.withLock { registry in
      var entries = [String: Entry](minimumCapacity: instances.count)
      for instance in instances {
        let address = instance.address
        if var entry = registry.entries.removeValue(forKey: address) ?? entries[address] {
          entry.instance = instance
          entries[address] = entry
        } else {
          entries[address] = Entry(instance: instance, machine: BreakerStateMachine(rules: registry.rules.breaker))
        }
      }
      registry.entries = entries
      registry.recount()
    }
  }

  /// Applies new rules to every breaker (see ``BreakerStateMachine/update(rules:)``);
  /// returns the transitions a change of mode caused.
  @discardableResult
  public func update(rules: InstanceBreakerRules) -> [InstanceBreakerTransition] {
    registry.withLock { registry in
      registry.rules = rules
      var transitions: [InstanceBreakerTransition] = []
      for address in Array(registry.entries.keys) {
        if let transition = registry.entries[address]!.machine.update(rules: rules.breaker) {
          transitions.append(InstanceBreakerTransition(instance: registry.entries[address]!.instance, transition: transition))
        }
      }
      registry.recount()
      return transitions
    }
  }

  /// Asks to send a call to `instance` at `now`.
  public func acquire(_ instance: Instance, now: Duration) -> BreakerPermit {
    acquireWithTransition(instance, now: now).permit
  }

  /// ``acquire(_:now:)``, also returning the open → half-open transition it may cause.
  public func acquireWithTransition(_ instance: Instance, now: Duration) -> (permit: BreakerPermit, transition: BreakerTransition?) {
    registry.withLock { registry in
      let address = instance.address
      if let result = registry.modify(address, { $0.acquireWithTransition(now: now) }) { return result }
      registry.entries[address] = Entry(instance: instance, machine: BreakerStateMachine(rules: registry.rules.breaker))
      return registry.modify(address) { $0.acquireWithTransition(now: now) }!
    }
  }

  /// Which instances their breakers allow now, in one look (no breaker open: all of them,
  /// without asking each).
  public func availability(now: Duration) -> InstanceAvailability {
    registry.withLock { registry in
      if registry.ejected == 0 && registry.rules.breaker.mode != .forcedOpen { return InstanceAvailability(unavailable: []) }
      var unavailable: Set<String> = []
      for (address, entry) in registry.entries where !entry.machine.wouldAllow(now: now) { unavailable.insert(address) }
      return InstanceAvailability(unavailable: unavailable)
    }
  }

  /// Whether routing should consider `instance` healthy at `now`: false while its breaker
  /// is open (or forced open, or half-open with every probe slot taken). Takes no probe
  /// slot; instances without a breaker are available.
  public func isAvailable(_ instance: Instance, now: Duration) -> Bool {
    registry.withLock { $0.entries[instance.address]?.machine.wouldAllow(now: now) ?? true }
  }

  /// Records how a call to `instance` ended; returns the transition it caused, if any
  /// (including an `ejection capped` one when the cap kept the breaker closed).
  @discardableResult
  public func record(_ outcome: CallOutcome, latency: Duration, permit: BreakerPermit, instance: Instance, now: Duration) -> BreakerTransition? {
    registry.withLock { registry in
      let mayTrip = registry.ejected < registry.limit
      let ejected = registry.ejected
      let count = registry.entries.count
      let transition = registry.modify(instance.address) {
        $0.record(outcome, latency: latency, permit: permit, now: now, mayTrip: mayTrip)
      } ?? nil
      guard var transition, transition.from == transition.to else { return transition }
      transition.reason += " (\(ejected) of \(count) instances ejected)"
      return transition
    }
  }

  /// Frees the probe slot of a call to `instance` abandoned without an outcome.
  public func cancel(permit: BreakerPermit, instance: Instance) {
    registry.withLock { registry in
      _ = registry.modify(instance.address) { $0.cancel(permit: permit) }
    }
  }
}

/// A snapshot of which instances their breakers allow.
public struct InstanceAvailability: Sendable {
  let unavailable: Set<String>

  /// Every breaker was closed (or disabled): calls need no permit to be allowed.
  public var all: Bool { unavailable.isEmpty }

  /// Whether `instance`'s breaker allowed calls when the snapshot was taken.
  public func isAvailable(_ instance: Instance) -> Bool {
    unavailable.isEmpty || !unavailable.contains(instance.address)
  }
}
