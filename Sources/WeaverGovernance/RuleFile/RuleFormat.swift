/// The rule file format: every key, its aliases, its type, its default and what it means.
/// The one place that knows the format; the JSON Schema, the field reference in the docs
/// and `weaver rules explain` are all produced from it.
enum RuleFormat {
  /// Reads the rules of one scope (the whole service, or one method's overrides) on top of
  /// `rules`.
  static func read(_ s: RuleSection, into rules: inout MethodRules) {
    s.optionalDuration("timeout", doc: "The whole call's timeout, all attempts included; off: the client's own.", &rules.timeout)
    s.section("circuitBreaker", doc: "The breaker of the service and method: open, calls fail fast with circuitOpen.") {
      readBreaker($0, into: &rules.circuitBreaker)
    }
    s.section("instanceBreaker", doc: "One breaker per instance (outlier ejection).") { s in
      readBreaker(s, into: &rules.instanceBreaker.breaker)
      s.percent("maxEjectionPercent", doc: "Never eject more than this share of the instances.", &rules.instanceBreaker.maxEjectionPercent)
    }
    s.section("retry", doc: "When a failed call is tried again.") { readRetry($0, into: &rules.retry) }
    s.section("limits", doc: "Rate and concurrency limits.") { s in
      s.optionalNumber("qps", doc: "Server: calls per second accepted (token bucket); more are answered overloaded.", range: 0.001...10_000_000, &rules.limits.serverQPS)
      s.optionalInteger("burst", doc: "Server: calls the token bucket lets through at once (default: one second's worth).", range: 1...1_000_000_000, &rules.limits.serverBurst)
      s.optionalInteger("maxInFlight", doc: "Server: calls run at once; more are answered overloaded.", range: 1...Int.max, &rules.limits.serverMaxInFlight)
      s.optionalInteger("clientMaxInFlight", doc: "Client: calls in flight to the service at once; more fail with overloaded.", range: 1...Int.max, &rules.limits.clientMaxInFlight)
    }
    s.section("loadBalancer", doc: "How an instance is picked.") { s in
      s.choice("policy", doc: "weightedRoundRobin (smooth, nginx), p2cPeakEWMA (latency-aware), consistentHash (sticky by a key).", &rules.loadBalancer.policy)
      s.optionalString("hashKey", doc: "consistentHash: the metadata key whose value picks the instance.", &rules.loadBalancer.hashKey)
      s.number("boundedLoadFactor", doc: "consistentHash: an instance takes at most this × the average load.", range: 1...100, &rules.loadBalancer.boundedLoadFactor)
      s.duration("ewmaDecay", doc: "p2cPeakEWMA: how fast old latencies fade.", min: .milliseconds(1), &rules.loadBalancer.ewmaDecay)
    }
    s.section("routing", doc: "Which instances a call may go to.") { readRouting($0, into: &rules.routing) }
    s.objects("faults", doc: "Injected faults, first match applies.", element: FaultRule(), into: &rules.faults) { s, fault in
      s.optionalString("releaseTag", doc: "Only calls carrying this release tag.", &fault.releaseTag)
      s.optionalString("caller", doc: "Only calls from this caller service.", &fault.caller)
      s.optionalDuration("delay", doc: "Delay matching calls by this much.", &fault.delay)
      s.percent("delayPercent", doc: "Share of matching calls delayed.", &fault.delayPercent)
      s.optionalCode("abort", doc: "Fail matching calls with this error code.", &fault.abort)
      s.percent("abortPercent", doc: "Share of matching calls aborted.", &fault.abortPercent)
    }
    s.section("degrade", doc: "A switch that turns calls away on purpose.") { s in
      s.choice("mode", doc: "off, failFast (fail with degraded), fallback (return the registered fallback).", &rules.degrade.mode)
      s.optionalString("fallback", doc: "The name of a fallback registered in code (mode fallback).", &rules.degrade.fallback)
      s.string("message", doc: "Said in the degraded error.", &rules.degrade.message)
    }
  }

  static func readBreaker(_ s: RuleSection, into b: inout BreakerRules) {
    s.choice("mode", doc: "automatic, forcedOpen (reject every call), disabled (allow every call).", &b.mode)
    s.duration("window", aliases: ["slidingWindowSize"], doc: "How far back calls are counted.", min: .milliseconds(10), &b.window)
    s.integer("buckets", doc: "Buckets the window is divided into.", range: 1...1000, &b.buckets)
    s.integer("minimumRequestThreshold", aliases: ["minimumNumberOfCalls", "minSample"], doc: "Calls the window must hold before a rate can trip.", range: 1...Int.max, &b.minimumRequests)
    s.percent("failureRateThreshold", aliases: ["errorPercent"], doc: "Trip when this share of calls or more fail.", &b.failureRateThreshold)
    s.optionalPercent("slowCallRateThreshold", doc: "Trip when this share of calls or more are slow.", &b.slowCallRateThreshold)
    s.duration("slowCallDurationThreshold", doc: "A call slower than this is slow.", min: .milliseconds(1), &b.slowCallDuration)
    s.optionalInteger("consecutiveFailures", doc: "Trip after this many failures in a row.", range: 1...Int.max, &b.consecutiveFailures)
    s.duration("waitDurationInOpenState", aliases: ["sleepWindow"], doc: "How long it stays open before half-open probes.", min: .milliseconds(1), &b.openDuration)
    s.number("openDurationMultiplier", doc: "Each re-open multiplies the open duration by this (1: constant).", range: 1...100, &b.openDurationMultiplier)
    s.duration("maxWaitDurationInOpenState", doc: "The open duration never grows beyond this.", min: .milliseconds(1), &b.maxOpenDuration)
    s.integer("permittedCallsInHalfOpenState", doc: "Probe calls let through at once while half-open.", range: 1...10_000, &b.halfOpenProbes)
    s.integer("successesToClose", doc: "Successful probes that close it (a failed probe re-opens it).", range: 1...10_000, &b.halfOpenSuccesses)
    s.codes("recordFailures", doc: "Error codes that count as failures (declared exceptions never do).", &b.countedFailures)
  }

  static func readRetry(_ s: RuleSection, into r: inout RetryRules) {
    s.integer("maxAttempts", doc: "Attempts in all, the first included (1: no retries).", range: 1...10, &r.maxAttempts)
    s.boolean("idempotent", doc: "The method is safe to run twice: also retried on idempotentRetryOn, may be hedged.", &r.idempotent)
    s.codes("retryOn", doc: "Failures retried for any method (the server never ran the call).", &r.retryOn)
    s.codes("idempotentRetryOn", doc: "Failures retried only for idempotent methods.", &r.idempotentRetryOn)
    s.duration("backoffBase", doc: "Backoff before attempt n is random in [0, min(backoffMax, backoffBase·2ⁿ⁻²)).", &r.backoffBase)
    s.duration("backoffMax", doc: "The longest backoff.", &r.backoffMax)
    s.optionalDuration("perTryTimeout", doc: "Each attempt's own timeout (the call's deadline covers all attempts).", &r.perTryTimeout)
    s.percent("budgetPercent", doc: "Retries may be at most this share of recent requests.", &r.budgetPercent)
    s.integer("budgetMinPerSecond", doc: "Retries per second always allowed, whatever the share.", range: 0...1_000_000, &r.budgetMinPerSecond)
    s.duration("budgetWindow", doc: "How far back the budget counts.", min: .seconds(1), &r.budgetWindow)
    s.boolean("chainStop", doc: "A call that is itself a retry is not retried again downstream.", &r.chainStop)
    s.optionalDuration("hedgingDelay", doc: "Idempotent methods: send a backup request when no reply came after this.", &r.hedgingDelay)
  }

  static func readRouting(_ s: RuleSection, into r: inout RoutingRules) {
    s.section("releaseTag", doc: "Traffic colouring: a tagged call goes to instances with its tag.") { s in
      s.boolean("enabled", doc: "Release-tag routing on or off.", &r.releaseTagEnabled)
      s.string("key", doc: "The persistent metadata key carrying the tag.", &r.releaseTagKey)
      s.string("label", doc: "The instance label naming an instance's tag.", &r.releaseTagLabel)
      var fallback = TagFallbackChoice(r.tagFallback)
      var fallbackTag = r.tagFallback.tagName
      s.choice("fallback", doc: "No healthy instance has the tag: untagged instances, any, fail, or the tag in fallbackTag.", &fallback)
      s.optionalString("fallbackTag", doc: "The tag to fall back to (fallback: tag).", &fallbackTag)
      r.tagFallback = fallback.fallback(tag: fallbackTag)
      if fallback == .tag && fallbackTag == nil && !s.sink.describing {
        s.sink.problem(s.location, s.childPath("fallbackTag"), "fallback: tag needs fallbackTag (the tag to fall back to)")
      }
      s.boolean("untaggedAvoidTagged", doc: "Calls without a tag avoid tagged instances.", &r.untaggedAvoidTagged)
    }
    s.section("region", doc: "Region affinity: the caller's zone first, then its region, then all.") { s in
      s.boolean("enabled", doc: "Region affinity on or off.", &r.regionAffinity)
      s.percent("minHealthyPercent", doc: "Stay in a zone or region only while this share of it is healthy.", &r.regionMinHealthyPercent)
    }
    s.percent("protectionThreshold", doc: "When fewer than this share of instances are healthy, use them all (0%: off).", &r.protectionThreshold)
  }
}

/// `routing.releaseTag.fallback` as written.
enum TagFallbackChoice: String, CaseIterable {
  case untagged, any, fail, tag

  init(_ fallback: RoutingRules.TagFallback) {
    switch fallback {
    case .untagged: self = .untagged
    case .any: self = .any
    case .fail: self = .fail
    case .tag: self = .tag
    }
  }

  func fallback(tag: String?) -> RoutingRules.TagFallback {
    switch self {
    case .untagged: .untagged
    case .any: .any
    case .fail: .fail
    case .tag: .tag(tag ?? "")
    }
  }
}

extension RoutingRules.TagFallback {
  var tagName: String? {
    if case .tag(let name) = self { return name }
    return nil
  }
}
