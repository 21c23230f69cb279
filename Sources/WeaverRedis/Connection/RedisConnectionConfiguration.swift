import Logging

/// How connections to a Redis server are made and used.
public struct RedisConnectionConfiguration: Sendable {
  /// The protocol spoken after connecting.
  public enum ProtocolVersion: Int, Sendable, Hashable {
    /// RESP2, what every Redis speaks.
    case resp2 = 2
    /// RESP3 (`HELLO 3`, Redis 6+): typed replies and pub/sub on any connection. A server
    /// without `HELLO` is spoken to in RESP2.
    case resp3 = 3
  }

  /// The ACL user (`AUTH user password`); nil with a password: `AUTH password` (the
  /// `default` user).
  public var username: String?
  public var password: String?
  /// The database `SELECT`ed on every connection (standalone servers only; a cluster has 0).
  public var database: Int = 0
  public var protocolVersion: ProtocolVersion = .resp3
  /// Sent as `CLIENT SETNAME`, so `CLIENT LIST` shows whose connection it is.
  public var clientName: String?
  /// How long a TCP connect and the handshake may take.
  public var connectTimeout: Duration = .seconds(5)
  /// How long a command may wait for its reply; past it the connection is closed, since
  /// later replies would be matched to the wrong commands (go-redis's `ReadTimeout`).
  public var commandTimeout: Duration = .seconds(3)
  /// How large a reply may be.
  public var limits = RESPLimits()
  public var logger = Logger(label: "weaver.redis")

  public init() {}
}
