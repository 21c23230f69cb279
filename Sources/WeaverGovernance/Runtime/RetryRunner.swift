import WeaverCore

/// The attempts of one call: retries with jittered backoff inside the budget and the
/// call's deadline, each on an instance not tried yet when there is one, or hedged
/// (backup attempts after a delay, the first reply wins).
struct RetryRunner: Sendable {
  let governor: ClientGovernor
  let resolved: ResolvedRules
  let context: CallContext

  var rules: RetryRules { resolved.rules.retry }

  /// How many attempts this call may make: 1 when it is itself a retry (chain stop).
  var maxAttempts: Int {
    let retry = resolved.rules.retry
    if retry.maxAttempts == 1 { return 1 }
    if retry.chainStop && context.metadata.persistent[ClientGovernor.retryMetadataKey] != nil { return 1 }
    return retry.maxAttempts
  }

  /// Whether the call's attempts are hedged (idempotent, a hedging delay, attempts to spare).
  var isHedged: Bool {
    resolved.rules.retry.hedgingDelay != nil && resolved.rules.retry.idempotent && maxAttempts > 1
  }

  func run<Request: Sendable, Response: Sendable>(
    _ request: Request, attempt: @escaping @Sendable (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    governor.budget.recordRequest(now: governor.time.now())
    let log = AttemptLog(rules: resolved)
    return try await AttemptLog.$current.withValue(log) {
      if resolved.rules.retry.hedgingDelay != nil && resolved.rules.retry.idempotent && maxAttempts > 1 {
        return try await HedgedAttempts(runner: self).run(request, attempt: attempt)
      }
      var number = 1
      while true {
        do {
          return try await attempt(request, attemptContext(number))
        } catch {
          guard try await mayRetry(after: error, attempt: number) else { throw error }
          number += 1
        }
      }
    }
  }

  /// The context of attempt `number`: marked as a retry after the first, with the
  /// per-try timeout.
  func attemptContext(_ number: Int) -> CallContext {
    if number > 1 || resolved.rules.retry.perTryTimeout != nil {
      return retryContext(number)
    }
    return context
  }

  private func retryContext(_ number: Int) -> CallContext {
    var context = context
    if number > 1 { context.metadata.persistent[ClientGovernor.retryMetadataKey] = "\(number - 1)" }
    if let perTry = resolved.rules.retry.perTryTimeout {
      let deadline = ContinuousClock.now.advanced(by: perTry)
      context.deadline = context.deadline.map { min($0, deadline) } ?? deadline
    }
    return context
  }

  /// Whether attempt `attempt` + 1 may follow a failure; waits out the backoff if so.
  func mayRetry(after error: any Error, attempt: Int) async throws -> Bool {
    guard attempt < maxAttempts, let code = CallOutcome(error: error).failureCode, retryable(code) else { return false }
    if let deadline = context.deadline, deadline <= .now { return false }
    let backoff = RetryBackoff.ceiling(beforeAttempt: attempt + 1, rules: rules) * governor.random.unit()
    if let remaining = context.remaining(), backoff >= remaining { return false }
    guard governor.budget.tryWithdraw(now: governor.time.now()) else {
      governor.events.retryBudgetExhausted(service: governor.service, method: context.method)
      return false
    }
    if backoff > .zero { try await governor.time.sleep(backoff) }
    governor.events.retried(service: governor.service, method: context.method, attempt: attempt + 1, after: code)
    return true
  }

  /// Whether a failure of `code` is retried: the rules' lists; an attempt that hit its own
  /// per-try timeout is retried like a timeout.
  func retryable(_ code: RPCError.Code) -> Bool {
    rules.retries(code)
  }
}
