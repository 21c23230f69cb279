import NIOCore

/// When a key set by `SET` expires.
public enum RedisExpiration: Sendable, Hashable {
  /// After this long (`PX`).
  case after(Duration)
  /// At this Unix time, in milliseconds (`PXAT`).
  case atUnixMilliseconds(Int64)
  /// Keep the key's current time to live (`KEEPTTL`).
  case keepTTL
}

/// When `SET` sets.
public enum RedisSetCondition: Sendable, Hashable {
  case always
  /// Only if the key does not exist (`NX`).
  case ifNotExists
  /// Only if the key exists (`XX`).
  case ifExists
}

extension RedisCommandExecuting {
  /// `GET`: the value's bytes, nil when the key does not exist.
  public func get(_ key: some RESPArgument) async throws(RedisError) -> ByteBuffer? {
    return try await run(RedisCommand("GET", key: key, readOnly: true)) { $0.optionalBytes }
  }

  /// `GET`, the value read as UTF-8.
  public func getString(_ key: some RESPArgument) async throws(RedisError) -> String? {
    try await get(key).map { String(buffer: $0) }
  }

  /// `SET`: true when the value was set (false when `condition` was not met).
  @discardableResult
  public func set(
    _ key: some RESPArgument, to value: some RESPArgument, expiration: RedisExpiration? = nil,
    condition: RedisSetCondition = .always
  ) async throws(RedisError) -> Bool {
    var command = RedisCommand("SET", idempotent: true)
    command.key(key)
    command.argument(value)
    switch expiration {
    case .after(let duration)?:
      guard duration > .zero else { throw .invalidArgument("SET's expiration must be positive, not \(duration)") }
      command.argument("PX")
      command.argument(Int64(max(1, duration.redisNanoseconds / 1_000_000)))
    case .atUnixMilliseconds(let milliseconds)?:
      command.argument("PXAT")
      command.argument(milliseconds)
    case .keepTTL?:
      command.argument("KEEPTTL")
    case nil:
      break
    }
    switch condition {
    case .always: break
    case .ifNotExists: command.argument("NX")
    case .ifExists: command.argument("XX")
    }
    return try await run(command) { $0.okOrNull }
  }

  /// `MGET`: each key's value or nil, in order. In a cluster the keys must share a slot
  /// (a hash tag).
  public func mget(_ keys: [some RESPArgument]) async throws(RedisError) -> [ByteBuffer?] {
    var command = RedisCommand("MGET", readOnly: true)
    command.keys(keys)
    return try await run(command) { $0.optionalBytesArray }
  }

  /// `MSET`. In a cluster the keys must share a slot (a hash tag).
  public func mset(_ pairs: [(key: String, value: any RESPArgument)]) async throws(RedisError) {
    var command = RedisCommand("MSET", idempotent: true)
    for pair in pairs {
      command.key(pair.key)
      command.argument(pair.value)
    }
    _ = try await run(command) { $0.okOrNull }
  }

  /// `DEL`: how many of the keys existed. In a cluster the keys must share a slot.
  @discardableResult
  public func del(_ keys: String...) async throws(RedisError) -> Int {
    var command = RedisCommand("DEL", idempotent: true)
    command.keys(keys)
    return try await run(command) { $0.int }
  }

  /// `EXISTS`: how many of the keys exist.
  public func exists(_ keys: String...) async throws(RedisError) -> Int {
    var command = RedisCommand("EXISTS", readOnly: true)
    command.keys(keys)
    return try await run(command) { $0.int }
  }

  /// `INCRBY`: the value after adding `amount`.
  @discardableResult
  public func incr(_ key: some RESPArgument, by amount: Int = 1) async throws(RedisError) -> Int {
    return try await run(RedisCommand("INCRBY", key: key, amount)) { $0.int }
  }

  /// `PEXPIRE`: true when the key exists and now expires after `duration`.
  @discardableResult
  public func expire(_ key: some RESPArgument, after duration: Duration) async throws(RedisError) -> Bool {
    return try await run(RedisCommand("PEXPIRE", key: key, Int64(max(1, duration.redisNanoseconds / 1_000_000)), idempotent: true)) { $0.int.map { $0 == 1 } }
  }

  /// `PTTL`: when the key expires, that it never does, or that it does not exist.
  public func ttl(_ key: some RESPArgument) async throws(RedisError) -> RedisTimeToLive {
    return try await run(RedisCommand("PTTL", key: key, readOnly: true)) { reply -> RedisTimeToLive? in
      guard let milliseconds = reply.int else { return nil }
      switch milliseconds {
      case -2: return .missing
      case -1: return .persistent
      case 0...: return .expires(in: .milliseconds(milliseconds))
      default: return nil
      }
    }
  }
}

/// What `PTTL` says of a key.
public enum RedisTimeToLive: Sendable, Hashable {
  case missing
  case persistent
  case expires(in: Duration)
}

/// A type-erased argument, for variadic lists of mixed arguments.
public struct AnyRESPArgument: RESPArgument {
  private let value: any RESPArgument

  public init(_ value: any RESPArgument) {
    self.value = value
  }

  public func writeRESPBytes(to buffer: inout ByteBuffer) { value.writeRESPBytes(to: &buffer) }
}
