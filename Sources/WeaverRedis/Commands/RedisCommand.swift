import NIOCore

/// One command, encoded as it is built: its name, its arguments as RESP bulk strings, and
/// the cluster slot of the keys it names.
///
/// ```swift
/// var command = RedisCommand("HSET")
/// command.key("user:{42}")
/// command.argument("name")
/// command.argument("Ada")
/// ```
/// The typed methods (``RedisCommandExecuting/get(_:)``, ``RedisCommandExecuting/set(_:to:expiration:condition:)``, …)
/// build commands this way; ``init(_:arguments:keyPositions:)`` makes any other.
public struct RedisCommand: Sendable {
  /// Where a command goes in a cluster.
  public enum Slot: Sendable, Hashable {
    /// The command names no key (`PING`, `INFO`): any node.
    case none
    /// The slot all its keys hash to.
    case slot(UInt16)
    /// Its keys hash to different slots: a cluster cannot run it.
    case crossSlot
  }

  /// The command's name, upper-cased (`SET`, `CLUSTER`).
  public let name: String
  /// The arguments after the name, each framed as a bulk string.
  private(set) var body: ByteBuffer
  /// Arguments, the name included.
  public private(set) var argumentCount: Int
  public private(set) var slot: Slot = .none
  /// Whether a replica may answer it (with `READONLY`); such commands also retry freely.
  public var isReadOnly: Bool
  /// Whether running it twice does what running it once does (`SET`, `DEL`, `HSET`; not
  /// `INCR`, `LPUSH`): such a command is retried after a connection broke mid-flight, when
  /// it may already have run.
  public var isIdempotent: Bool

  /// A command with no arguments yet.
  public init(_ name: String, readOnly: Bool = false, idempotent: Bool = false) {
    self.name = name.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) ? name.uppercased() : name
    self.body = ByteBufferAllocator().buffer(capacity: 64)
    self.argumentCount = 1
    self.isReadOnly = readOnly
    self.isIdempotent = idempotent || readOnly
    Self.writeBulk(self.name, to: &body)
  }

  /// `name key arguments…`, the shape of most commands on one key:
  /// `RedisCommand("LRANGE", key: "list", 0, -1, readOnly: true)`.
  public init(
    _ name: String, key: some RESPArgument, _ arguments: any RESPArgument..., readOnly: Bool = false, idempotent: Bool = false
  ) {
    self.init(name, readOnly: readOnly, idempotent: idempotent)
    self.key(key)
    for argument in arguments { self.argument(argument) }
  }

  /// A command from its words, as `redis-cli` takes them: `["SET", "k", "v"]`. The
  /// arguments at `keyPositions` (the name is position 0) are its keys; by default the first
  /// argument is the key, except for commands that take none (`PING`, `INFO`, `CLUSTER`, …)
  /// and scripts (`EVAL script numkeys key…`), whose keys are found as Redis finds them.
  public init(_ name: String, arguments: [any RESPArgument], keyPositions: [Int]? = nil) {
    self.init(name)
    let positions = keyPositions.map(Set.init) ?? Self.defaultKeyPositions(self.name, arguments: arguments)
    for (index, argument) in arguments.enumerated() {
      if positions.contains(index + 1) { key(argument) } else { self.argument(argument) }
    }
  }

  /// Adds a key: it is sent and counts toward the command's slot.
  public mutating func key(_ key: some RESPArgument) {
    addKey(key)
  }

  /// Adds a key (the common case, without a generic call across modules).
  public mutating func key(_ key: String) {
    addKey(key)
  }

  /// Adds a key given as bytes.
  public mutating func key(_ key: ByteBuffer) {
    addKey(key)
  }

  private mutating func addKey(_ key: some RESPArgument) {
    let payloadStart = Self.writeBulk(key, to: &body)
    let keySlot = HashSlot.slot(of: body.readableBytesView[payloadStart..<(body.writerIndex - 2)])
    argumentCount += 1
    switch slot {
    case .none: slot = .slot(keySlot)
    case .slot(let existing) where existing != keySlot: slot = .crossSlot
    case .slot, .crossSlot: break
    }
  }

  /// Adds an argument that is not a key.
  public mutating func argument(_ value: some RESPArgument) {
    addArgument(value)
  }

  /// Adds a text argument (the common cases, without a generic call across modules).
  public mutating func argument(_ value: String) {
    addArgument(value)
  }

  /// Adds a bytes argument.
  public mutating func argument(_ value: ByteBuffer) {
    addArgument(value)
  }

  /// Adds a number argument.
  public mutating func argument(_ value: Int) {
    addArgument(value)
  }

  private mutating func addArgument(_ value: some RESPArgument) {
    Self.writeBulk(value, to: &body)
    argumentCount += 1
  }

  /// Adds every argument of `values`.
  public mutating func arguments(_ values: some Sequence<some RESPArgument>) {
    for value in values { argument(value) }
  }

  /// Adds every key of `keys`.
  public mutating func keys(_ keys: some Sequence<some RESPArgument>) {
    for key in keys { self.key(key) }
  }

  /// Bytes ``write(to:)`` writes, at most.
  var encodedSize: Int { body.readableBytes + 24 }

  /// Writes the whole command (array header, then the arguments) to `buffer`.
  func write(to buffer: inout ByteBuffer) {
    buffer.writeInteger(UInt8(ascii: "*"))
    buffer.writeDecimal(argumentCount)
    buffer.writeImmutableBuffer(body)
  }

  /// Frames `value` as a bulk string; returns where its bytes start.
  @discardableResult
  private static func writeBulk(_ value: some RESPArgument, to buffer: inout ByteBuffer) -> Int {
    let length: Int
    var scratch: ByteBuffer? = nil
    switch value {
    case let text as String: length = text.utf8.count
    case let bytes as ByteBuffer: length = bytes.readableBytes
    case let bytes as [UInt8]: length = bytes.count
    default:
      var bytes = ByteBuffer()
      value.writeRESPBytes(to: &bytes)
      length = bytes.readableBytes
      scratch = bytes
    }
    buffer.writeInteger(UInt8(ascii: "$"))
    buffer.writeDecimal(length)
    let start = buffer.writerIndex
    if let scratch {
      buffer.writeImmutableBuffer(scratch)
    } else {
      value.writeRESPBytes(to: &buffer)
    }
    buffer.writeStaticString("\r\n")
    return start
  }

  /// Commands that name no key, and where scripts keep theirs.
  static func defaultKeyPositions(_ name: String, arguments: [any RESPArgument]) -> Set<Int> {
    switch name {
    case "PING", "ECHO", "INFO", "CLUSTER", "CONFIG", "CLIENT", "DBSIZE", "FLUSHALL", "FLUSHDB", "TIME", "COMMAND",
      "SCRIPT", "FUNCTION", "SELECT", "AUTH", "HELLO", "READONLY", "READWRITE", "ASKING", "SCAN", "RANDOMKEY",
      "PUBLISH", "SUBSCRIBE", "PSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "PUBSUB", "WAIT", "LASTSAVE", "SAVE",
      "BGSAVE", "BGREWRITEAOF", "DEBUG", "MULTI", "EXEC", "DISCARD", "SWAPDB", "MEMORY", "LATENCY", "SLOWLOG", "ACL",
      "SHUTDOWN", "ROLE", "MONITOR", "QUIT", "RESET":
      return []
    case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
      guard arguments.count >= 2 else { return [] }
      var count = ByteBuffer()
      arguments[1].writeRESPBytes(to: &count)
      guard let keys = Int(String(buffer: count)), keys > 0 else { return [] }
      return Set(3..<(3 + keys))
    case "MSET", "MSETNX":
      return Set(stride(from: 1, through: arguments.count, by: 2))
    case "MGET", "DEL", "UNLINK", "EXISTS", "TOUCH", "WATCH", "SINTER", "SUNION", "SDIFF", "PFCOUNT":
      return Set(1...max(1, arguments.count))
    default:
      return arguments.isEmpty ? [] : [1]
    }
  }
}

extension ByteBuffer {
  /// Writes a non-negative `value` in decimal and `\r\n`, as RESP frames lengths, in one
  /// write and without making a string.
  mutating func writeDecimal(_ value: Int) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and \r\n fit
    withUnsafeMutableBytes(of: &digits) { scratch in
      var index = scratch.count
      index -= 2
      scratch[index] = UInt8(ascii: "\r")
      scratch[index + 1] = UInt8(ascii: "\n")
      var rest = UInt(max(0, value))
      repeat {
        index -= 1
        scratch[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
      writeBytes(UnsafeRawBufferPointer(rebasing: scratch[index...]))
    }
  }
}
