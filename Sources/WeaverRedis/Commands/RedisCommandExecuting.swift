import NIOCore

/// Something that runs Redis commands: ``RedisClient`` (one server) and
/// ``RedisClusterClient``. The typed commands (`get`, `set`, `hset`, `zadd`, `eval`,
/// `scan`, …) are written once, over this.
public protocol RedisCommandExecuting: Sendable {
  /// Runs `command` and returns its reply; an error reply is thrown as
  /// ``RedisError/server(_:)``.
  func execute(_ command: RedisCommand) async throws(RedisError) -> RESPValue
  /// Runs `commands` pipelined (a cluster splits them by node and sends each node's share
  /// at once, in parallel); results in order, each its reply or why it failed.
  func pipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>]
  /// Runs `commands` in one write on one connection of the node that serves the first
  /// command's slot, without following redirects (a command and the `WAIT` after it).
  func pipelineOnOneConnection(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>]
  /// The servers a keyspace-wide command must visit: the server, or every cluster primary.
  func primaryNodes() async throws(RedisError) -> [RedisNodeAddress]
  /// Runs `command` on `node` (a keyspace-wide command such as `SCAN`, `DBSIZE`, `FLUSHDB`).
  func execute(_ command: RedisCommand, on node: RedisNodeAddress) async throws(RedisError) -> RESPValue
}

extension RedisCommandExecuting {
  /// Runs a command given as words, as `redis-cli` takes them: `send("SET", "k", "v")`.
  /// In a cluster it goes to the node of its first key (see ``RedisCommand/init(_:arguments:keyPositions:)``).
  @discardableResult
  public func send(_ name: String, _ arguments: any RESPArgument...) async throws(RedisError) -> RESPValue {
    try await execute(RedisCommand(name, arguments: arguments))
  }

  /// Runs `command` and turns its reply into `T`, or throws ``RedisError/unexpectedReply(command:reply:)``.
  func run<T>(_ command: RedisCommand, _ convert: (RESPValue) -> T?) async throws(RedisError) -> T {
    let reply = try await execute(command)
    guard let value = convert(reply) else {
      throw .unexpectedReply(command: command.name, reply: reply.brief)
    }
    return value
  }

  /// `PING`: `PONG`, or the message echoed.
  public func ping() async throws(RedisError) -> String {
    try await run(RedisCommand("PING", readOnly: true)) { $0.string }
  }
}

extension RESPValue {
  /// The reply in a few words, for error messages (`+OK`, `bulk string of 3 bytes`).
  public var brief: String {
    switch self {
    case .simpleString(let text): return "+\(text.prefix(60))"
    case .bulkString(let bytes): return "bulk string of \(bytes.readableBytes) bytes"
    case .integer(let value): return ":\(value)"
    case .error(let error): return "-\(error.message.prefix(60))"
    case .array(let values), .set(let values), .push(let values): return "\(kindDescription) of \(values.count)"
    case .map(let pairs): return "map of \(pairs.count)"
    default: return kindDescription
    }
  }

  /// `OK` (or any simple string) → true; null → false (a `SET NX` that did not set).
  var okOrNull: Bool? {
    switch self {
    case .simpleString, .bulkString: true
    case .null: false
    default: nil
    }
  }

  /// A bulk string's bytes, or nil for null: `.some(nil)` for null, nil for anything else.
  var optionalBytes: ByteBuffer?? {
    switch self {
    case .null: .some(nil)
    case .bulkString(let bytes): .some(bytes)
    case .simpleString(let text): .some(ByteBuffer(string: text))
    default: nil
    }
  }

  /// An array of bulk strings and nulls (`MGET`, `HMGET`).
  var optionalBytesArray: [ByteBuffer?]? {
    guard let elements else { return nil }
    var values: [ByteBuffer?] = []
    values.reserveCapacity(elements.count)
    for element in elements {
      guard let bytes = element.optionalBytes else { return nil }
      values.append(bytes)
    }
    return values
  }

  /// An array of bulk strings (`SMEMBERS`, `LRANGE`, `KEYS`).
  var bytesArray: [ByteBuffer]? {
    guard let elements else { return nil }
    var values: [ByteBuffer] = []
    values.reserveCapacity(elements.count)
    for element in elements {
      guard let bytes = element.bytes else { return nil }
      values.append(bytes)
    }
    return values
  }
}
