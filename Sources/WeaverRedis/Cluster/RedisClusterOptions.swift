/// What a ``RedisClusterClient`` does beyond a single server's client.
public struct RedisClusterOptions: Sendable, Hashable {
  /// Which node answers read-only commands.
  public enum ReadFrom: Sendable, Hashable {
    /// The slot's primary, always (fresh data).
    case primary
    /// A random online replica of the slot (`READONLY`; possibly stale), the primary when
    /// it has none (go-redis's `ReadOnly`).
    case replicaRandom
    /// The node of the slot, primary or replica, that has answered fastest (go-redis's
    /// `RouteByLatency`).
    case lowestLatency
  }

  /// How often `MOVED`/`ASK` are followed for one command (go-redis's `MaxRedirects`).
  public var maxRedirects: Int = 3
  public var readFrom: ReadFrom = .primary
  /// How often ``RedisClusterClient/run()`` reloads the topology (it is also reloaded on
  /// `MOVED` and on a node's failure).
  public var topologyRefreshInterval: Duration = .seconds(30)

  public init() {}
}
