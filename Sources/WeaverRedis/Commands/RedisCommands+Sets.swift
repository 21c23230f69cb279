import NIOCore

extension RedisCommandExecuting {
  /// `SADD`: how many members were new.
  @discardableResult
  public func sadd(_ key: some RESPArgument, _ members: [some RESPArgument]) async throws(RedisError) -> Int {
    guard !members.isEmpty else { throw .invalidArgument("SADD needs at least one member") }
    var command = RedisCommand("SADD", idempotent: true)
    command.key(key)
    command.arguments(members)
    return try await run(command) { $0.int }
  }

  /// `SREM`: how many members were there.
  @discardableResult
  public func srem(_ key: some RESPArgument, _ members: [some RESPArgument]) async throws(RedisError) -> Int {
    var command = RedisCommand("SREM", idempotent: true)
    command.key(key)
    command.arguments(members)
    return try await run(command) { $0.int }
  }

  /// `SMEMBERS` (RESP2's array and RESP3's set alike).
  public func smembers(_ key: some RESPArgument) async throws(RedisError) -> [ByteBuffer] {
    return try await run(RedisCommand("SMEMBERS", key: key, readOnly: true)) { $0.bytesArray }
  }

  /// `SISMEMBER`.
  public func sismember(_ key: some RESPArgument, _ member: some RESPArgument) async throws(RedisError) -> Bool {
    return try await run(RedisCommand("SISMEMBER", key: key, member, readOnly: true)) { $0.int.map { $0 == 1 } }
  }

  /// `SCARD`.
  public func scard(_ key: some RESPArgument) async throws(RedisError) -> Int {
    return try await run(RedisCommand("SCARD", key: key, readOnly: true)) { $0.int }
  }
}
