import CoreMetrics
import Tracing
import WeaverGovernance

/// Everything a ``RedisClient`` or ``RedisClusterClient`` is set up with; defaults are
/// go-redis's where it has one.
public struct RedisClientConfiguration: Sendable {
  public var connection = RedisConnectionConfiguration()
  /// Connections per node.
  public var pool = RedisPoolOptions()
  public var retry = RedisRetryOptions()
  /// Each node's circuit breaker (default: open after 3 failures in a row, 30 s open, one
  /// probe).
  public var breaker: BreakerRules = .redisNodeDefault
  /// Whether each command is wrapped in a span (no-op without a tracer bootstrapped).
  public var tracing = true
  /// The tracer spans come from (default: the one bootstrapped in `InstrumentationSystem`
  /// when the client is made: bootstrap tracing before making clients).
  public var tracer: (any Tracer)?
  /// The factory metrics come from (default: the one bootstrapped in `MetricsSystem`).
  public var metricsFactory: (any MetricsFactory)?
  /// How often the client's ``RedisClient/run()`` closes idle connections and reports pool
  /// figures as metrics.
  public var maintenanceInterval: Duration = .seconds(10)

  public init() {}
}
