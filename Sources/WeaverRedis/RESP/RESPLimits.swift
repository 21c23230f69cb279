/// How large and deep a reply the client accepts. A server (or anything pretending to be
/// one) that sends more gets ``RedisError/protocolViolation(_:)`` and the connection closes,
/// never an allocation of the size it announced.
public struct RESPLimits: Sendable, Hashable {
  /// The longest bulk string, in bytes (Redis's own `proto-max-bulk-len` default).
  public var maxBulkLength: Int = 512 * 1024 * 1024
  /// The most elements of one array, set, map or push.
  public var maxAggregateCount: Int = 1 << 28
  /// How deeply aggregates may nest.
  public var maxDepth: Int = 64
  /// The longest simple string, error or number line, in bytes.
  public var maxLineLength: Int = 64 * 1024

  public init() {}
}
