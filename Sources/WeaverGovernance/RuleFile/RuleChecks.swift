/// Contradictions between fields, found on the rules in force for one method (each field
/// alone may be fine).
enum RuleChecks {
  /// Each problem as the field's path (relative to the method's rules) and a reason.
  static func contradictions(in rules: MethodRules) -> [(path: String, reason: String)] {
    var found: [(String, String)] = []
    let retry = rules.retry
    if retry.backoffBase > retry.backoffMax {
      found.append(("retry.backoffBase", "\(RuleValues.render(retry.backoffBase)) is longer than backoffMax \(RuleValues.render(retry.backoffMax))"))
    }
    if retry.hedgingDelay != nil && !retry.idempotent {
      found.append(("retry.hedgingDelay", "hedging sends the call twice: only for idempotent methods (set retry.idempotent: true)"))
    }
    if retry.hedgingDelay != nil && retry.maxAttempts < 2 {
      found.append(("retry.hedgingDelay", "hedging needs maxAttempts of 2 or more"))
    }
    for code in [RPCErrorNames.overloaded, RPCErrorNames.cancelled, RPCErrorNames.degraded] {
      if retry.retryOn.contains(where: { $0.name == code }) || retry.idempotentRetryOn.contains(where: { $0.name == code }) {
        found.append(("retry.retryOn", "\(code) is never retried (retrying into an overloaded or refusing service makes it worse)"))
      }
    }
    if let perTry = retry.perTryTimeout, let timeout = rules.timeout, perTry > timeout {
      found.append(("retry.perTryTimeout", "\(RuleValues.render(perTry)) is longer than the call's timeout \(RuleValues.render(timeout))"))
    }
    for (name, breaker) in [("circuitBreaker", rules.circuitBreaker), ("instanceBreaker", rules.instanceBreaker.breaker)] {
      if breaker.openDuration > breaker.maxOpenDuration {
        found.append(("\(name).waitDurationInOpenState", "\(RuleValues.render(breaker.openDuration)) is longer than maxWaitDurationInOpenState \(RuleValues.render(breaker.maxOpenDuration))"))
      }
      if breaker.window < .milliseconds(Int64(breaker.buckets)) {
        found.append(("\(name).buckets", "\(breaker.buckets) buckets do not fit in a \(RuleValues.render(breaker.window)) window (1ms each at least)"))
      }
    }
    if rules.limits.serverBurst != nil && rules.limits.serverQPS == nil {
      found.append(("limits.burst", "burst without qps limits nothing: set limits.qps too"))
    }
    if rules.degrade.mode == .fallback && rules.degrade.fallback == nil {
      found.append(("degrade.fallback", "mode fallback needs the name of a registered fallback"))
    }
    if rules.loadBalancer.policy == .consistentHash && rules.loadBalancer.hashKey == nil {
      found.append(("loadBalancer.hashKey", "consistentHash needs hashKey (the metadata key to hash)"))
    }
    for (index, fault) in rules.faults.enumerated() where fault.delay == nil && fault.abort == nil {
      found.append(("faults[\(index)]", "a fault needs a delay, an abort, or both"))
    }
    return found
  }
}

/// Names of codes the checks refer to.
enum RPCErrorNames {
  static let overloaded = "overloaded"
  static let cancelled = "cancelled"
  static let degraded = "degraded"
}
