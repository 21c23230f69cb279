import Logging
import Synchronization
import Metrics
import WeaverCore

/// Every governance event is logged (swift-log) and counted (swift-metrics, dimensions
/// service/method/instance), so an exporter needs nothing from this module but the names
/// below.
public struct GovernanceEvents: Sendable {
  /// The metric names, in one place.
  public enum Names {
    public static let breakerTransitions = "weaver_governance_breaker_transitions_total"
    public static let breakerState = "weaver_governance_breaker_state"
    public static let rulesApplied = "weaver_governance_rules_applied_total"
    public static let rulesRejected = "weaver_governance_rules_rejected_total"
    public static let retries = "weaver_governance_retries_total"
    public static let retryBudgetExhausted = "weaver_governance_retry_budget_exhausted_total"
    public static let degraded = "weaver_governance_degraded_total"
    public static let faultsInjected = "weaver_governance_faults_injected_total"
    public static let rejected = "weaver_governance_rejected_total"

    /// Help text for each (the Prometheus exposition's `# HELP`).
    public static let help: [String: String] = [
      breakerTransitions: "Circuit breaker state changes, by service, target state, method or instance.",
      breakerState: "Circuit breaker state (0 closed or disabled, 1 half-open, 2 open, 3 forced open), by service, method or instance.",
      rulesApplied: "Rule sets applied, by service.",
      rulesRejected: "Rule sets rejected (the rules in force stayed), by service.",
      retries: "Attempts retried (or hedged), by service, method and the failure's code.",
      retryBudgetExhausted: "Retries and hedges skipped for want of retry budget, by service and method.",
      degraded: "Calls answered by a degrade switch, by service, method and mode.",
      faultsInjected: "Faults injected by fault rules, by service, method and kind.",
      rejected: "Calls turned away by limits or breakers, by service, method and code.",
    ]
  }

  public var logger: Logger
  /// Where breakers' states are kept for snapshots.
  public var breakers: BreakerBoard
  /// Events that can happen on every call in a storm are logged at most once a second.
  private let throttle = LogThrottle()

  public init(logger: Logger = Logger(label: "cloudweaver.governance"), breakers: BreakerBoard = .shared) {
    self.logger = logger
    self.breakers = breakers
  }

  func breakerTransition(service: String, method: String?, instance: Instance?, from: String, to: String, reason: String) {
    var dimensions = [("service", service), ("to", to)]
    if let method { dimensions.append(("method", method)) }
    if let instance { dimensions.append(("instance", instance.address)) }
    Counter(label: Names.breakerTransitions, dimensions: dimensions).increment()
    let stateValue = ["halfOpen": 1, "open": 2, "forcedOpen": 3][to] ?? 0
    Gauge(label: Names.breakerState, dimensions: dimensions.filter { $0.0 != "to" }).record(stateValue)
    breakers.note(service: service, method: method, instance: instance?.address, state: to)
    let scope = instance.map { "instance \($0.address) of \(service)" } ?? "\(service).\(method ?? "*")"
    logger.notice("circuit breaker \(from) → \(to)", metadata: ["scope": "\(scope)", "reason": "\(reason)"])
  }

  func rulesApplied(service: String, source: String) {
    Counter(label: Names.rulesApplied, dimensions: [("service", service)]).increment()
    logger.info("rules applied", metadata: ["service": "\(service)", "source": "\(source)"])
  }

  func rulesRejected(service: String, source: String, error: any Error) {
    Counter(label: Names.rulesRejected, dimensions: [("service", service)]).increment()
    logger.error("rules rejected; the rules in force stay", metadata: ["service": "\(service)", "source": "\(source)", "problems": "\(error)"])
  }

  func retried(service: String, method: String, attempt: Int, after code: RPCError.Code) {
    Counter(label: Names.retries, dimensions: [("service", service), ("method", method), ("code", code.name)]).increment()
    CallEvents.record("weaver.retry", ["attempt": String(attempt), "after": code.name])
    logger.debug("retrying", metadata: ["call": "\(service).\(method)", "attempt": "\(attempt)", "after": "\(code)"])
  }

  func retryBudgetExhausted(service: String, method: String) {
    Counter(label: Names.retryBudgetExhausted, dimensions: [("service", service), ("method", method)]).increment()
    CallEvents.record("weaver.retry_budget_exhausted")
    if let skipped = throttle.admit() {
      logger.warning("retry budget exhausted: not retrying", metadata: ["call": "\(service).\(method)", "alsoSinceLastLog": "\(skipped)"])
    }
  }

  func degraded(service: String, method: String, mode: DegradeRules.Mode) {
    Counter(label: Names.degraded, dimensions: [("service", service), ("method", method), ("mode", mode.rawValue)]).increment()
    CallEvents.record("weaver.degraded", ["mode": mode.rawValue])
    logger.debug("degraded", metadata: ["call": "\(service).\(method)", "mode": "\(mode.rawValue)"])
  }

  func faultInjected(service: String, method: String, kind: String) {
    Counter(label: Names.faultsInjected, dimensions: [("service", service), ("method", method), ("kind", kind)]).increment()
    CallEvents.record("weaver.fault_injected", ["kind": kind])
  }

  func rejected(service: String, method: String, code: RPCError.Code, reason: String) {
    Counter(label: Names.rejected, dimensions: [("service", service), ("method", method), ("code", code.name)]).increment()
    CallEvents.record("weaver.rejected", ["code": code.name, "reason": reason])
    logger.debug("call rejected", metadata: ["call": "\(service).\(method)", "code": "\(code)", "reason": "\(reason)"])
  }
}

/// Lets one log line a second through and counts the ones held back.
final class LogThrottle: Sendable {
  private let state = Mutex<(last: ContinuousClock.Instant?, skipped: Int)>((nil, 0))

  /// The number of lines held back since the last one, if this one may be logged.
  func admit(now: ContinuousClock.Instant = .now) -> Int? {
    state.withLock { state in
      if let last = state.last, last.duration(to: now) < .seconds(1) {
        state.skipped += 1
        return nil
      }
      defer { state = (now, 0) }
      return state.skipped
    }
  }
}
