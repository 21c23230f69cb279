import WeaverCore

/// Hedged attempts (Kitex's backup request): the first attempt goes out at once, another
/// after each hedging delay without a reply (the timer is re-armed by every attempt), or
/// after a backoff when an attempt fails with a retryable error; up to the call's
/// attempts. The first reply wins and the others are cancelled. Every attempt after the
/// first spends retry budget.
struct HedgedAttempts: Sendable {
  let runner: RetryRunner

  private enum Event<Response: Sendable>: Sendable {
    case reply(Response)
    case failed(any Error, attempt: Int)
    /// The hedging delay passed since attempt `armedBy` started.
    case hedgeTimer(armedBy: Int)
  }

  func run<Request: Sendable, Response: Sendable>(
    _ request: Request, attempt: @escaping @Sendable (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    let governor = runner.governor
    let delay = runner.rules.hedgingDelay ?? .zero
    let maxAttempts = runner.maxAttempts
    let method = runner.context.method
    return try await withThrowingTaskGroup(of: Event<Response>.self) { group in
      var started = 0
      var running = 0
      /// Starts the next attempt after `wait` (a retry's backoff), and re-arms the timer.
      func start(after wait: Duration = .zero) {
        started += 1
        running += 1
        let number = started
        let context = runner.attemptContext(number)
        group.addTask {
          do {
            if wait > .zero { try await governor.time.sleep(wait) }
            return .reply(try await attempt(request, context))
          } catch {
            return .failed(error, attempt: number)
          }
        }
        if started < maxAttempts {
          group.addTask {
            try? await governor.time.sleep(wait + delay)
            return .hedgeTimer(armedBy: number)
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
          if number == started, let wait = runner.retryDelay(after: error, before: started + 1) {
            start(after: wait)
          } else if running == 0 {
            group.cancelAll()
            throw error
          }
        case .hedgeTimer(let armedBy):
          // Only the timer of the latest attempt counts; an attempt is still out.
          guard armedBy == started, running > 0, started < maxAttempts, !Task.isCancelled else { continue }
          guard governor.budget.tryWithdraw(now: governor.time.now()) else {
            governor.events.retryBudgetExhausted(service: governor.service, method: method)
            continue
          }
          start()
        }
      }
      throw RPCError(.unknown, "no attempt of \(governor.service).\(method) finished")
    }
  }
}
