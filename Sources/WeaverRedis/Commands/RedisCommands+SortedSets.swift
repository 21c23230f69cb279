import NIOCore

/// A member of a sorted set and its score.
public struct RedisScoredMember: Sendable, Hashable {
  public var member: ByteBuffer
  public var score: Double

  public init(member: ByteBuffer, score: Double) {
    self.member = member
    self.score = score
  }
}

extension RedisCommandExecuting {
  /// `ZADD`: how many members were new.
  @discardableResult
  public func zadd(_ key: some RESPArgument, _ members: [(member: any RESPArgument, score: Double)]) async throws(RedisError) -> Int {
    guard !members.isEmpty else { throw .invalidArgument("ZADD needs at least one member") }
    guard members.allSatisfy({ !$0.score.isNaN }) else { throw .invalidArgument("ZADD's scores must be numbers, not NaN") }
    var command = RedisCommand("ZADD", idempotent: true)
    command.key(key)
    for entry in members {
      command.argument(entry.score)
      command.argument(AnyRESPArgument(entry.member))
    }
    return try await run(command) { $0.int }
  }

  /// `ZSCORE`: the member's score, nil when it is not in the set.
  public func zscore(_ key: some RESPArgument, _ member: some RESPArgument) async throws(RedisError) -> Double? {
    return try await run(RedisCommand("ZSCORE", key: key, member, readOnly: true)) { reply in reply.isNull ? .some(nil) : reply.double.map { .some($0) } }
  }

  /// `ZINCRBY`: the member's score after adding `amount`.
  @discardableResult
  public func zincr(_ key: some RESPArgument, _ member: some RESPArgument, by amount: Double) async throws(RedisError) -> Double {
    return try await run(RedisCommand("ZINCRBY", key: key, amount, member)) { $0.double }
  }

  /// `ZRANGE … WITHSCORES`: members by rank, `start` through `stop` (inclusive), lowest
  /// score first (RESP2's flat array and RESP3's pairs alike).
  public func zrangeWithScores(_ key: some RESPArgument, _ start: Int = 0, _ stop: Int = -1) async throws(RedisError) -> [RedisScoredMember] {
    return try await run(RedisCommand("ZRANGE", key: key, start, stop, "WITHSCORES", readOnly: true)) { reply in
      guard let elements = reply.elements else { return nil }
      var members: [RedisScoredMember] = []
      if elements.allSatisfy({ $0.elements?.count == 2 }) {
        // RESP3: [[member, score], …]
        for pair in elements {
          guard let member = pair.elements![0].bytes, let score = pair.elements![1].double else { return nil }
          members.append(RedisScoredMember(member: member, score: score))
        }
      } else {
        guard elements.count % 2 == 0 else { return nil }
        for index in stride(from: 0, to: elements.count, by: 2) {
          guard let member = elements[index].bytes, let score = elements[index + 1].double else { return nil }
          members.append(RedisScoredMember(member: member, score: score))
        }
      }
      return members
    }
  }

  /// `ZRANGE`: members by rank, lowest score first.
  public func zrange(_ key: some RESPArgument, _ start: Int = 0, _ stop: Int = -1) async throws(RedisError) -> [ByteBuffer] {
    return try await run(RedisCommand("ZRANGE", key: key, start, stop, readOnly: true)) { $0.bytesArray }
  }

  /// `ZREM`: how many members were there.
  @discardableResult
  public func zrem(_ key: some RESPArgument, _ members: [some RESPArgument]) async throws(RedisError) -> Int {
    var command = RedisCommand("ZREM", idempotent: true)
    command.key(key)
    command.arguments(members)
    return try await run(command) { $0.int }
  }

  /// `ZCARD`.
  public func zcard(_ key: some RESPArgument) async throws(RedisError) -> Int {
    return try await run(RedisCommand("ZCARD", key: key, readOnly: true)) { $0.int }
  }
}
