import WeaverCore

/// The retry decisions of one call: how many attempts, each attempt's context, and whether
/// (and after what backoff) a failure is retried inside the budget and the deadline. The
/// call stage runs the attempts; ``HedgedAttempts`` runs them hedged.
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

  /// The backoff before attempt `next`, if a failure may be retried now: a retryable code,
  /// attempts to spare, time left for the backoff, and budget (withdrawn here).
  func retryDelay(after error: any Error, before next: Int) -> Duration? {
    guard next <= maxAttempts, let code = CallOutcome(error: error).failureCode, retryable(code) else { return nil }
    if let deadline = context.deadline, deadline <= .now { return nil }
    let backoff = RetryBackoff.ceiling(beforeAttempt: next, rules: rules) * governor.random.unit()
    if let remaining = context.remaining(), backoff >= remaining { return nil }
    guard governor.budget.tryWithdraw(now: governor.time.now()) else {
      governor.events.retryBudgetExhausted(service: governor.service, method: context.method)
      return nil
    }
    governor.events.retried(service: governor.service, method: context.method, attempt: next, after: code)
    return backoff
  }

  /// Whether a failure of `code` is retried: the rules' lists; an attempt that hit its own
  /// per-try timeout is retried like a timeout.
  func retryable(_ code: RPCError.Code) -> Bool {
    rules.retries(code)
  }
}
