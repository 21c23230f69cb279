import NIOCore

/// How many connections a client keeps to each node, and for how long.
public struct RedisPoolOptions: Sendable, Hashable {
  /// The most connections to one node (go-redis's `PoolSize`, which is also per node).
  public var poolSize: Int = 10 * max(1, System.coreCount)
  /// Idle connections kept open to each node, even when unused.
  public var minIdle: Int = 0
  /// An idle connection unused this long is closed (down to ``minIdle``).
  public var idleTimeout: Duration = .seconds(30 * 60)
  /// How long a command waits for a connection when all ``poolSize`` are busy.
  public var poolTimeout: Duration = .seconds(4)

  public init() {}
}


