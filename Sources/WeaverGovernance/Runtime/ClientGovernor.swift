import Synchronization
import WeaverCore

/// Governance for the calls a client makes to one service, under the rules of a
/// ``RuleStore``. Transports use it in two stages:
///
/// - the **call stage**, ``run(_:context:attempt:)``: degrade switch → fault injection →
///   timeout → client concurrency limit → retries and hedging (budgeted, chain-stopped) →
///   per attempt: the service-and-method circuit breaker → `attempt`;
/// - the **instance stage**, ``select(_:)`` (it is an ``InstanceSelector``), per attempt:
///   routing (release tag, region, protection threshold) → load balancer → instance
///   breaker; the attempt's outcome feeds the balancer and the breaker.
///
/// ```swift
/// let rules = RuleStore(service: "FeedService", sources: [RuleFileWatcher(path: "feed.yaml")])
/// let client = ThriftClient(resolver: resolver, governance: ClientGovernor(rules: rules))
/// ```
public final class ClientGovernor: InstanceSelector {
  public let rules: RuleStore
  /// Where this client runs, for region affinity.
  public let locality: Locality
  let time: TimeSource
  let random: GovernanceRandom
  let events: GovernanceEvents
  let fallbacks: Fallbacks
  let instanceBreakers = InstanceBreakers()
  let budget = RetryBudget()
  let limiter = InFlightLimiter(limit: .max)
  private let state = Mutex(State())

  struct State {
    var instances: [Instance] = []
    /// Every tag label some instance carries (routing skips release-tag work without them).
    var labels: Set<String> = []
    var balancers: [LoadBalancerRules: any LoadBalancer] = [:]
    /// The balancer the last call used (one rule set usually has one).
    var lastBalancer: (rules: LoadBalancerRules, balancer: any LoadBalancer)?
    var methodBreakers: [String: CircuitBreaker] = [:]
  }

  /// The generation of the rule set last applied to the stateful parts (-1: none yet, so
  /// code defaults other than the built-in ones apply on the first call).
  private let appliedGeneration = Atomic<Int>(-1)

  public init(
    rules: RuleStore, locality: Locality = Locality(), time: TimeSource = .continuous, random: GovernanceRandom = GovernanceRandom(),
    fallbacks: Fallbacks = Fallbacks(), events: GovernanceEvents = GovernanceEvents()
  ) {
    self.rules = rules
    self.locality = locality
    self.time = time
    self.random = random
    self.fallbacks = fallbacks
    self.events = events
  }

  /// The service the rules are for.
  public var service: String { rules.service }

  /// The rule set in force, with the stateful parts brought up to date with it. A swap is
  /// applied once, and never undone by a call that read an older rule set.
  func currentRules() -> RuleSnapshot {
    let snapshot = rules.currentSnapshot
    let generation = Int(snapshot.generation)
    guard appliedGeneration.load(ordering: .acquiring) < generation else { return snapshot }
    let ruleSet = snapshot.ruleSet
    state.withLock { state in
      guard appliedGeneration.load(ordering: .relaxed) < generation else { return }
      for (method, breaker) in state.methodBreakers {
        if let transition = breaker.update(rules: ruleSet.rules(for: method).circuitBreaker) {
          log(transition, instance: nil, method: method)
        }
      }
      let serviceRules = ruleSet.serviceRules
      for change in instanceBreakers.update(rules: serviceRules.instanceBreaker) { log(change.transition, instance: change.instance) }
      budget.update(rules: serviceRules.retry)
      limiter.limit = serviceRules.limits.clientMaxInFlight ?? .max
      appliedGeneration.store(generation, ordering: .releasing)
    }
    return snapshot
  }

  // MARK: Instance stage

  public func update(_ instances: [Instance]) {
    let balancers = state.withLock { state in
      state.instances = instances
      state.labels = Set(instances.flatMap(\.tags.keys))
      return Array(state.balancers.values)
    }
    instanceBreakers.update(instances: instances)
    for balancer in balancers { balancer.update(instances) }
  }

  public func select(_ context: CallContext) throws(RPCError) -> InstanceSelection {
    let log = AttemptLog.of(context)
    let resolved = log?.rules ?? currentRules().resolved(for: context.method)
    let now = time.now()
    let (instances, labels, balancer) = state.withLock { state -> ([Instance], Set<String>, any LoadBalancer) in
      if let last = state.lastBalancer, last.rules == resolved.rules.loadBalancer { return (state.instances, state.labels, last.balancer) }
      if let balancer = state.balancers[resolved.rules.loadBalancer] {
        state.lastBalancer = (resolved.rules.loadBalancer, balancer)
        return (state.instances, state.labels, balancer)
      }
      let balancer = makeLoadBalancer(rules: resolved.rules.loadBalancer, seed: random.seed())
      balancer.update(state.instances)
      state.balancers[resolved.rules.loadBalancer] = balancer
      return (state.instances, state.labels, balancer)
    }
    let request = routeRequest(context, rules: resolved.rules.routing)
    let availability = instanceBreakers.availability(now: now)
    let decision: RouteDecision
    if availability.all && InstanceRouter.keepsEveryInstance(resolved.rules.routing, request: request, labels: labels) {
      decision = RouteDecision(candidates: instances, steps: [])
    } else {
      decision = InstanceRouter.route(instances, request: request, rules: resolved.rules.routing, explain: false, isHealthy: availability.isAvailable)
    }
    let tried = log?.tried ?? []
    var candidates = tried.isEmpty ? decision.candidates : decision.candidates.filter { !tried.contains($0) }
    if candidates.isEmpty { candidates = decision.candidates }
    let hashKey = resolved.rules.loadBalancer.hashKey.flatMap { context.metadata[$0] }
    while let picked = balancer.pick(from: candidates, hashKey: hashKey, now: now) {
      // Every breaker closed: the permit is `allowed` without asking (and taking a lock).
      let (permit, transition) = instanceBreakers.acquireWithTransition(picked, now: now)
      if let transition { self.log(transition, instance: picked) }
      guard permit.isPermitted || decision.protectionApplied else {
        candidates.removeAll { $0 == picked }
        continue
      }
      balancer.callStarted(picked)
      log?.record(picked)
      return InstanceSelection(instance: picked) { outcome in
        let end = self.time.now()
        balancer.callFinished(picked, latency: end - now, outcome: outcome, now: end)
        if let transition = self.instanceBreakers.record(outcome, latency: end - now, permit: permit, instance: picked, now: end) {
          self.log(transition, instance: picked)
        }
      }
    }
    // Nothing to pick: say why, routing's reasons included.
    let explained = InstanceRouter.route(instances, request: request, rules: resolved.rules.routing, isHealthy: availability.isAvailable)
    let why = explained.steps.isEmpty ? "" : " (\(explained.steps.joined(separator: "; ")))"
    if instances.isEmpty { throw RPCError(.unavailable, "no instance of \(service) to call") }
    if decision.candidates.isEmpty { throw RPCError(.unavailable, "no instance of \(service) for this call\(why)") }
    throw RPCError(.circuitOpen, "every instance of \(service) this call may use is ejected by its breaker\(why)")
  }

  /// The persistent key of the region a call comes from (the edge's `x-region`): when a
  /// call carries one, region affinity prefers that region over this client's own, so a
  /// request stays in its user's unit along the whole chain.
  public static let regionMetadataKey = "region"

  /// What routing matches for a call: its release tag, and the region it comes from
  /// (this client's locality unless the call names one).
  func routeRequest(_ context: CallContext, rules: RoutingRules) -> RouteRequest {
    let tag = context.metadata.persistent[rules.releaseTagKey]
    if let region = context.metadata.persistent[Self.regionMetadataKey], region != locality.region {
      return RouteRequest(releaseTag: tag, region: region, zone: nil)
    }
    return RouteRequest(releaseTag: tag, region: locality.region, zone: locality.zone)
  }

  func log(_ transition: BreakerTransition, instance: Instance?, method: String? = nil) {
    events.breakerTransition(
      service: service, method: method, instance: instance, from: "\(transition.from)", to: "\(transition.to)", reason: transition.reason)
  }

  /// The breaker of `method`, made on first use.
  func methodBreaker(_ method: String, resolved: ResolvedRules) -> CircuitBreaker {
    state.withLock { state in
      if let breaker = state.methodBreakers[method] { return breaker }
      let breaker = CircuitBreaker(rules: resolved.rules.circuitBreaker)
      state.methodBreakers[method] = breaker
      return breaker
    }
  }

  /// The breaker states, for diagnostics and tests: instances, then methods.
  public var breakerStates: (instances: [Instance: BreakerState], methods: [String: BreakerState]) {
    let instances = state.withLock { $0.instances }
    let methods = state.withLock { $0.methodBreakers }
    return (
      Dictionary(uniqueKeysWithValues: instances.compactMap { instance in instanceBreakers.state(of: instance).map { (instance, $0) } }),
      methods.mapValues(\.state)
    )
  }
}

/// Where a process runs: its region and zone, for region-affinity routing.
public struct Locality: Sendable, Hashable {
  public var region: String?
  public var zone: String?

  public init(region: String? = nil, zone: String? = nil) {
    self.region = region
    self.zone = zone
  }
}
