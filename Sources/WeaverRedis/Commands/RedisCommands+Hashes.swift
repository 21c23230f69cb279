import NIOCore

extension RedisCommandExecuting {
  /// `HSET`: sets the fields; returns how many were new.
  @discardableResult
  public func hset(_ key: some RESPArgument, fields: [(field: String, value: any RESPArgument)]) async throws(RedisError) -> Int {
    guard !fields.isEmpty else { throw .invalidArgument("HSET needs at least one field") }
    var command = RedisCommand("HSET", idempotent: true)
    command.key(key)
    for pair in fields {
      command.argument(pair.field)
      command.argument(AnyRESPArgument(pair.value))
    }
    return try await run(command) { $0.int }
  }

  /// `HSET` of one field.
  @discardableResult
  public func hset(_ key: some RESPArgument, field: String, to value: some RESPArgument) async throws(RedisError) -> Int {
    try await hset(key, fields: [(field, value)])
  }

  /// `HGET`: the field's value, nil when the key or field does not exist.
  public func hget(_ key: some RESPArgument, field: String) async throws(RedisError) -> ByteBuffer? {
    return try await run(RedisCommand("HGET", key: key, field, readOnly: true)) { $0.optionalBytes }
  }

  /// `HGETALL`: every field and value (RESP2's flat array and RESP3's map alike).
  public func hgetall(_ key: some RESPArgument) async throws(RedisError) -> [String: ByteBuffer] {
    return try await run(RedisCommand("HGETALL", key: key, readOnly: true)) { reply in
      guard let pairs = reply.pairs else { return nil }
      var fields: [String: ByteBuffer] = [:]
      for pair in pairs {
        guard let field = pair.key.string, let value = pair.value.bytes else { return nil }
        fields[field] = value
      }
      return fields
    }
  }

  /// `HDEL`: how many of the fields existed.
  @discardableResult
  public func hdel(_ key: some RESPArgument, fields: [String]) async throws(RedisError) -> Int {
    var command = RedisCommand("HDEL", idempotent: true)
    command.key(key)
    command.arguments(fields)
    return try await run(command) { $0.int }
  }

  /// `HINCRBY`: the field's value after adding `amount`.
  @discardableResult
  public func hincr(_ key: some RESPArgument, field: String, by amount: Int = 1) async throws(RedisError) -> Int {
    return try await run(RedisCommand("HINCRBY", key: key, field, amount)) { $0.int }
  }

  /// `HLEN`.
  public func hlen(_ key: some RESPArgument) async throws(RedisError) -> Int {
    return try await run(RedisCommand("HLEN", key: key, readOnly: true)) { $0.int }
  }
}
