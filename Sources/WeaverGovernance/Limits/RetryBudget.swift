import Synchronization

/// Caps retries to a share of the traffic, so retries cannot multiply an overload (as
/// Envoy's and Finagle's budgets do). Over ``RetryRules/budgetWindow`` (in 10 buckets), a
/// retry is allowed while the retries withdrawn are fewer than
/// `max(budgetMinPerSecond × window seconds, budgetPercent% of the requests recorded)`.
///
/// Call ``recordRequest(now:)`` once per call (its first attempt), and
/// ``tryWithdraw(now:)`` before each retry. Tasks can share a budget.
public final class RetryBudget: Sendable {
  struct Tally: Sendable, AdditiveArithmetic {
    var requests = 0
    var retries = 0

    static var zero: Tally { Tally() }
    static func + (lhs: Tally, rhs: Tally) -> Tally { Tally(requests: lhs.requests + rhs.requests, retries: lhs.retries + rhs.retries) }
    static func - (lhs: Tally, rhs: Tally) -> Tally { Tally(requests: lhs.requests - rhs.requests, retries: lhs.retries - rhs.retries) }
  }

  struct State: Sendable {
    var rules: RetryRules
    var window: BucketedWindow<Tally>

    init(rules: RetryRules) {
      self.rules = rules
      window = BucketedWindow(window: rules.budgetWindow, buckets: RetryBudget.buckets)
    }

    /// Retries the window allows in all.
    func allowance(requests: Int) -> Double {
      let floor = Double(max(0, rules.budgetMinPerSecond)) * rules.budgetWindow.inSeconds
      let ratio = max(0, rules.budgetPercent) / 100 * Double(requests)
      return max(floor, ratio)
    }
  }

  static let buckets = 10
  private let state: Mutex<State>

  public init(rules: RetryRules = RetryRules()) {
    state = Mutex(State(rules: rules))
  }

  /// The rules in force.
  public var rules: RetryRules {
    state.withLock { $0.rules }
  }

  /// Counts a call's first attempt.
  public func recordRequest(now: Duration) {
    state.withLock { $0.window.add(Tally(requests: 1), now: now) }
  }

  /// Takes one retry from the budget; false when it is spent.
  public func tryWithdraw(now: Duration) -> Bool {
    state.withLock { state in
      let tally = state.window.total(now: now)
      guard Double(tally.retries) < state.allowance(requests: tally.requests) else { return false }
      state.window.add(Tally(retries: 1), now: now)
      return true
    }
  }

  /// Requests and retries in the window at `now`.
  public func counts(now: Duration) -> (requests: Int, retries: Int) {
    state.withLock { state in
      let tally = state.window.total(now: now)
      return (tally.requests, tally.retries)
    }
  }

  /// Applies new rules live: the counts stay unless the budget window changed.
  public func update(rules: RetryRules) {
    state.withLock { state in
      if state.rules.budgetWindow != rules.budgetWindow {
        state = State(rules: rules)
      } else {
        state.rules = rules
      }
    }
  }
}
