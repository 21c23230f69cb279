/// The names of what WeaverRedis reports through swift-metrics, with their help text. Labels:
/// `node` is `host:port`.
public enum RedisMetricNames {
  /// Commands sent, by `outcome`: `ok`, `error_reply` (the server's error), or a failure
  /// (`connect_failed`, `connection_closed`, `timeout`, `pool_timeout`, `circuit_open`, …).
  public static let commands = "weaver_redis_commands_total"
  /// Redirects followed, by `kind` (`moved`, `ask`).
  public static let redirects = "weaver_redis_redirects_total"
  /// Commands retried, by `reason` (`tryagain`, `clusterdown`, `loading`, `connection`, …).
  public static let retries = "weaver_redis_retries_total"
  /// Topology refreshes, by `result` (`ok`, `failed`).
  public static let topologyRefreshes = "weaver_redis_topology_refreshes_total"
  /// A node's circuit breaker: 0 closed, 1 half-open, 2 open (forced open too).
  public static let breakerState = "weaver_redis_breaker_state"
  /// Connections of a node's pool, by `state` (`idle`, `in_use`).
  public static let poolConnections = "weaver_redis_pool_connections"
  /// Commands waiting for a connection of a node's pool.
  public static let poolWaiting = "weaver_redis_pool_waiting"
  /// Waits for a pool connection that timed out.
  public static let poolTimeouts = "weaver_redis_pool_timeouts_total"

  /// Help text for each.
  public static let help: [String: String] = [
    commands: "Redis commands sent, by outcome.",
    redirects: "Redis Cluster redirects followed, by kind (moved, ask).",
    retries: "Redis commands retried, by reason.",
    topologyRefreshes: "Redis Cluster topology refreshes, by result.",
    breakerState: "Circuit breaker of a Redis node: 0 closed, 1 half-open, 2 open.",
    poolConnections: "Connections of a Redis node's pool, by state (idle, in_use).",
    poolWaiting: "Commands waiting for a connection of a Redis node's pool.",
    poolTimeouts: "Waits for a Redis pool connection that timed out.",
  ]
}
