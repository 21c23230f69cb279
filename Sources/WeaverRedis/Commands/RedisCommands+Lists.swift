import NIOCore

extension RedisCommandExecuting {
  /// `LPUSH`: the list's length after pushing `values` at its head.
  @discardableResult
  public func lpush(_ key: some RESPArgument, _ values: [some RESPArgument]) async throws(RedisError) -> Int {
    try await push("LPUSH", key, values)
  }

  /// `RPUSH`: the list's length after pushing `values` at its tail.
  @discardableResult
  public func rpush(_ key: some RESPArgument, _ values: [some RESPArgument]) async throws(RedisError) -> Int {
    try await push("RPUSH", key, values)
  }

  private func push(_ name: String, _ key: some RESPArgument, _ values: [some RESPArgument]) async throws(RedisError) -> Int {
    guard !values.isEmpty else { throw .invalidArgument("\(name) needs at least one value") }
    var command = RedisCommand(name)
    command.key(key)
    command.arguments(values)
    return try await run(command) { $0.int }
  }

  /// `LPOP`: the head, nil when the list is empty.
  public func lpop(_ key: some RESPArgument) async throws(RedisError) -> ByteBuffer? {
    return try await run(RedisCommand("LPOP", key: key)) { $0.optionalBytes }
  }

  /// `RPOP`: the tail, nil when the list is empty.
  public func rpop(_ key: some RESPArgument) async throws(RedisError) -> ByteBuffer? {
    return try await run(RedisCommand("RPOP", key: key)) { $0.optionalBytes }
  }

  /// `LRANGE`: elements `start` through `stop` (inclusive; negative counts from the end).
  public func lrange(_ key: some RESPArgument, _ start: Int = 0, _ stop: Int = -1) async throws(RedisError) -> [ByteBuffer] {
    return try await run(RedisCommand("LRANGE", key: key, start, stop, readOnly: true)) { $0.bytesArray }
  }

  /// `LLEN`.
  public func llen(_ key: some RESPArgument) async throws(RedisError) -> Int {
    return try await run(RedisCommand("LLEN", key: key, readOnly: true)) { $0.int }
  }
}
