/// Everything governance applies to the calls of one method, after code defaults, the
/// service's rule file, the config center and per-method overrides.
public struct MethodRules: Sendable, Hashable {
  /// The whole call's timeout; nil: the client's own.
  public var timeout: Duration? = nil
  public var circuitBreaker = BreakerRules()
  public var instanceBreaker = InstanceBreakerRules()
  public var retry = RetryRules()
  public var limits = LimitRules()
  public var loadBalancer = LoadBalancerRules()
  public var routing = RoutingRules()
  public var faults: [FaultRule] = []
  public var degrade = DegradeRules()

  public init() {}
}

/// One method's rules, resolved and shared: calls pass this reference along instead of
/// copying the rules (a `MethodRules` copy retains a dozen buffers).
public final class ResolvedRules: Sendable {
  public let rules: MethodRules

  public init(_ rules: MethodRules) {
    self.rules = rules
  }
}
