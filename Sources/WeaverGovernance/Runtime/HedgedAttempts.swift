import WeaverCore

/// Hedged attempts (Kitex's backup request): the first attempt goes out at once, another
/// after each hedging delay without a reply (or at once after a retryable failure), up to
/// the call's attempts; the first reply wins and the others are cancelled. Each backup
/// spends retry budget.
struct HedgedAttempts: Sendable {
  let runner: RetryRunner

  private enum Event<Response: Sendable>: Sendable {
    case reply(Response)
    case failed(any Error, attempt: Int)
    case hedgeTimer
  }

  func run<Request: Sendable, Response: Sendable>(
    _ request: Request, attempt: @escaping @Sendable (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    let governor = runner.governor
    let delay = runner.rules.hedgingDelay ?? .zero
    let maxAttempts = runner.maxAttempts
    let log = AttemptLog.current
    return try await withThrowingTaskGroup(of: Event<Response>.self) { group in
      var started = 0
      var running = 0
      var lastError: (any Error)?
      func start() {
        started += 1
        running += 1
        let number = started
        let context = runner.attemptContext(number)
        group.addTask {
          do {
            return .reply(try await AttemptLog.$current.withValue(log) { try await attempt(request, context) })
          } catch {
            return .failed(error, attempt: number)
          }
        }
        if started < maxAttempts {
          group.addTask {
            try? await governor.time.sleep(delay)
            return .hedgeTimer
          }
        }
      }
      start()
      while let event = try await group.next() {
        switch event {
        case .reply(let response):
          group.cancelAll()
          return response
        case .failed(let error, let number):
          running -= 1
          lastError = error
          let code = CallOutcome(error: error).failureCode
          let retryable = code.map(runner.retryable) ?? false
          if retryable, started < maxAttempts, number == started, governor.budget.tryWithdraw(now: governor.time.now()) {
            start()
          } else if running == 0 {
            group.cancelAll()
            throw error
          }
        case .hedgeTimer:
          guard running > 0, started < maxAttempts, !Task.isCancelled else { continue }
          guard governor.budget.tryWithdraw(now: governor.time.now()) else {
            governor.events.retryBudgetExhausted(service: governor.service, method: runner.context.method)
            continue
          }
          start()
        }
      }
      throw lastError ?? RPCError(.unknown, "no attempt of \(governor.service).\(runner.context.method) finished")
    }
  }
}
