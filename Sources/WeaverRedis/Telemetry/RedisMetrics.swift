import CoreMetrics
import Synchronization
import WeaverGovernance
import WeaverTelemetry

/// The counters and gauges of one client (names in ``RedisMetricNames``); handles are made
/// once per label set and kept.
final class RedisMetrics: Sendable {
  private let factory: any MetricsFactory
  /// Counters by metric name and label value.
  private let counters = Mutex<[String: Counter]>([:])
  /// Commands that ended well: counted on every command, so kept at hand.
  private let commandsOK: Counter

  init(factory: (any MetricsFactory)?) {
    let factory = factory ?? MetricsSystem.factory
    self.factory = factory
    self.commandsOK = Counter(label: RedisMetricNames.commands, dimensions: [("outcome", "ok")], factory: factory)
  }

  func commandEnded(_ outcome: String) {
    guard outcome != "ok" else { return commandsOK.increment() }
    counter(RedisMetricNames.commands, ("outcome", outcome)).increment()
  }

  /// Counts each command of a pipeline by how it ended.
  func commandsEnded(_ results: [Result<RESPValue, RedisError>]) {
    var ok: Int64 = 0
    for result in results {
      switch result {
      case .success: ok += 1
      case .failure(let error): commandEnded(error.kind)
      }
    }
    if ok > 0 { commandsOK.increment(by: ok) }
  }

  func redirected(_ kind: ClusterRedirect.Kind) {
    counter(RedisMetricNames.redirects, ("kind", kind.rawValue.lowercased())).increment()
  }

  func retried(_ reason: String) {
    counter(RedisMetricNames.retries, ("reason", reason)).increment()
  }

  func topologyRefreshed(ok: Bool) {
    counter(RedisMetricNames.topologyRefreshes, ("result", ok ? "ok" : "failed")).increment()
  }

  func breakerChanged(node: RedisNodeAddress, to state: BreakerState) {
    let value: Int =
      switch state {
      case .closed, .disabled: 0
      case .halfOpen: 1
      case .open, .forcedOpen: 2
      }
    Gauge(label: RedisMetricNames.breakerState, dimensions: [("node", node.description)], factory: factory).record(value)
  }

  /// Reports a pool's figures (called periodically, not per command).
  func report(pool: RedisConnectionPool.Snapshot, node: RedisNodeAddress) {
    let label = node.description
    Gauge(label: RedisMetricNames.poolConnections, dimensions: [("node", label), ("state", "idle")], factory: factory).record(pool.idle)
    Gauge(label: RedisMetricNames.poolConnections, dimensions: [("node", label), ("state", "in_use")], factory: factory).record(pool.inUse)
    Gauge(label: RedisMetricNames.poolWaiting, dimensions: [("node", label)], factory: factory).record(pool.waiting)
  }

  func poolTimedOut(node: RedisNodeAddress) {
    counter(RedisMetricNames.poolTimeouts, ("node", node.description)).increment()
  }

  private func counter(_ label: String, _ dimension: (String, String)) -> Counter {
    let key = label + "|" + dimension.1
    return counters.withLock { counters in
      if let counter = counters[key] { return counter }
      let counter = Counter(label: label, dimensions: [dimension], factory: factory)
      counters[key] = counter
      return counter
    }
  }
}

extension RedisError {
  /// The failure's kind in one word, as the `outcome` label of the command metrics and
  /// `weaver bench redis`'s error table name it: `connect_failed`, `error_reply`, ….
  public var kind: String {
    switch self {
    case .server: "error_reply"
    case .connectFailed: "connect_failed"
    case .connectionClosed: "connection_closed"
    case .timeout: "timeout"
    case .poolTimeout: "pool_timeout"
    case .circuitOpen: "circuit_open"
    case .protocolViolation, .unexpectedReply: "protocol_error"
    case .crossSlot: "cross_slot"
    case .tooManyRedirects: "too_many_redirects"
    case .clusterUnavailable: "cluster_unavailable"
    case .invalidArgument: "invalid_argument"
    case .clientClosed: "client_closed"
    case .cancelled: "cancelled"
    case .subscriberTooSlow: "subscriber_too_slow"
    }
  }
}
