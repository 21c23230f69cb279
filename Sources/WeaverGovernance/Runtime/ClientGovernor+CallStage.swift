import WeaverCore

extension ClientGovernor {
  /// The persistent metadata key a retried attempt carries (chain stop): a service serving
  /// it does not retry its own calls.
  public static let retryMetadataKey = "weaver-retry"

  /// Runs one call through the call stage; `attempt` is the transport's instance stage
  /// (select, send, report), run once per attempt.
  ///
  /// A transport that cannot run two attempts of one call at once passes
  /// `concurrentAttempts: false`: hedging rules then make plain sequential retries.
  public func run<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, concurrentAttempts: Bool = true,
    attempt: @escaping @Sendable (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    var resolved = currentRules().resolved(for: context.method)
    if let options = GovernanceCallOptions.current { resolved = ResolvedRules(options.applied(to: resolved.rules)) }
    if resolved.rules.degrade.mode != .off { return try degrade(request, context: context, rules: resolved.rules.degrade) }
    var context = context
    if let timeout = resolved.rules.timeout {
      let deadline = ContinuousClock.now.advanced(by: timeout)
      context.deadline = context.deadline.map { min($0, deadline) } ?? deadline
    }
    if !resolved.rules.faults.isEmpty { try await injectFaults(context: context, faults: resolved.rules.faults, tagKey: resolved.rules.routing.releaseTagKey) }
    guard limiter.tryAcquire() else {
      events.rejected(service: service, method: context.method, code: .overloaded, reason: "client limit")
      throw RPCError(.overloaded, "\(limiter.limit) calls to \(service) already in flight from this client (limits.clientMaxInFlight)")
    }
    defer { limiter.release() }
    let breaker = methodBreaker(context.method, resolved: resolved)
    // The attempts' log rides in their context (not a task-local: no frame, no push).
    context.attemptState = AttemptLog(rules: resolved)
    let runner = RetryRunner(governor: self, resolved: resolved, context: context)
    let start = time.now()
    budget.recordRequest(now: start)
    if runner.isHedged && concurrentAttempts {
      let guarded: @Sendable (Request, CallContext) async throws -> Response = { request, context in
        let admission = try self.admit(context, breaker: breaker, now: self.time.now())
        do {
          let response = try await attempt(request, context)
          self.record(.success, admission, breaker: breaker, method: context.method)
          return response
        } catch {
          self.record(CallOutcome(error: error), admission, breaker: breaker, method: context.method)
          throw error
        }
      }
      return try await HedgedAttempts(runner: runner).run(request, attempt: guarded)
    }
    // Retries inline, each attempt behind the method breaker without a frame of its own
    // (no closure, no extra async call per call: this is every call's path).
    var number = 1
    while true {
      let attemptContext = runner.attemptContext(number)
      do {
        let admission = try admit(attemptContext, breaker: breaker, now: number == 1 ? start : time.now())
        do {
          let response = try await attempt(request, attemptContext)
          record(.success, admission, breaker: breaker, method: context.method)
          return response
        } catch {
          record(CallOutcome(error: error), admission, breaker: breaker, method: context.method)
          throw error
        }
      } catch {
        guard let backoff = runner.retryDelay(after: error, before: number + 1) else { throw error }
        if backoff > .zero { try await time.sleep(backoff) }
        number += 1
      }
    }
  }

  /// An attempt let through the service-and-method breaker: its permit and start.
  struct Admission {
    let permit: BreakerPermit
    let start: Duration
  }

  /// Lets one attempt through the service-and-method breaker at `now`, or throws
  /// (`deadlineExceeded` when out of time before sending, which is no breaker's business;
  /// `circuitOpen` when the breaker refuses).
  private func admit(_ context: CallContext, breaker: CircuitBreaker, now: Duration) throws(RPCError) -> Admission {
    if let deadline = context.deadline, deadline <= .now {
      throw RPCError(.deadlineExceeded, "the deadline of \(service).\(context.method) passed before it was sent")
    }
    let (permit, transition) = breaker.acquireWithTransition(now: now)
    if let transition { log(transition, instance: nil, method: context.method) }
    guard permit.isPermitted else {
      events.rejected(service: service, method: context.method, code: .circuitOpen, reason: "breaker open")
      throw RPCError(.circuitOpen, "the circuit breaker of \(service).\(context.method) is open")
    }
    return Admission(permit: permit, start: now)
  }

  /// Feeds an admitted attempt's outcome to the breaker.
  private func record(_ outcome: CallOutcome, _ admission: Admission, breaker: CircuitBreaker, method: String) {
    let end = time.now()
    if let transition = breaker.record(outcome, latency: end - admission.start, permit: admission.permit, now: end) {
      log(transition, instance: nil, method: method)
    }
  }

  private func degrade<Request: Sendable, Response: Sendable>(_ request: Request, context: CallContext, rules: DegradeRules) throws -> Response {
    events.degraded(service: service, method: context.method, mode: rules.mode)
    if rules.mode == .fallback, let name = rules.fallback {
      if let value = fallbacks.value(name, for: request, as: Response.self) { return value }
      throw RPCError(.degraded, "\(rules.message) (no fallback '\(name)' is registered for \(service).\(context.method))")
    }
    throw RPCError(.degraded, rules.message)
  }

  private func injectFaults(context: CallContext, faults: [FaultRule], tagKey: String) async throws {
    let tag = context.metadata.persistent[tagKey]
    guard let fault = faults.first(where: { ($0.releaseTag == nil || $0.releaseTag == tag) && ($0.caller == nil || $0.caller == context.caller) }) else {
      return
    }
    if let delay = fault.delay, random.chance(percent: fault.delayPercent) {
      events.faultInjected(service: service, method: context.method, kind: "delay")
      // The call's deadline still holds: a delay longer than the time left ends in it.
      if let remaining = context.remaining(), remaining < delay {
        try await time.sleep(remaining)
        throw RPCError(.deadlineExceeded, "injected delay of \(RuleValues.render(delay)) outlasted the deadline of \(service).\(context.method)")
      }
      try await time.sleep(delay)
    }
    if let code = fault.abort, random.chance(percent: fault.abortPercent) {
      events.faultInjected(service: service, method: context.method, kind: "abort")
      throw RPCError(code, "injected fault: \(code) (faults rule of \(service).\(context.method))")
    }
  }
}
