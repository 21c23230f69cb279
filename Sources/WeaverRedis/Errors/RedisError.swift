import WeaverCore

/// Everything a Redis command can fail with, typed; `description` says what happened and,
/// where it helps, what to do.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The server answered with an error reply.
  case server(RedisServerError)
  /// No connection could be made (refused, unreachable, connect timeout).
  case connectFailed(node: RedisNodeAddress, reason: String)
  /// The connection closed before the reply came; the command may or may not have run.
  case connectionClosed(node: RedisNodeAddress, reason: String)
  /// No reply within the command timeout; the connection was closed (replies come in order,
  /// so it cannot be used again).
  case timeout(node: RedisNodeAddress, after: Duration)
  /// Every connection of the node's pool stayed busy for the pool timeout.
  case poolTimeout(node: RedisNodeAddress, after: Duration)
  /// The node's circuit breaker is open: it failed repeatedly and is not tried until
  /// `retryAfter` has passed.
  case circuitOpen(node: RedisNodeAddress, retryAfter: Duration)
  /// The bytes from the server are not RESP, or are over a limit.
  case protocolViolation(String)
  /// The reply is valid RESP but not what the command returns.
  case unexpectedReply(command: String, reply: String)
  /// A multi-key command's keys live in different slots.
  case crossSlot(command: String)
  /// The command was redirected more often than `maxRedirects` allows.
  case tooManyRedirects(command: String, last: String)
  /// No node of the cluster could be reached to learn which node serves which slots.
  case clusterUnavailable(String)
  /// An argument the command cannot take.
  case invalidArgument(String)
  /// The client was shut down.
  case clientClosed
  /// The calling task was cancelled while the command waited for a connection.
  case cancelled
  /// A subscription's consumer fell this many messages behind; the subscription ended.
  case subscriberTooSlow(buffered: Int)

  public var description: String {
    switch self {
    case .server(let error): return error.message
    case .connectFailed(let node, let reason): return "cannot connect to Redis at \(node): \(reason)"
    case .connectionClosed(let node, let reason):
      return "the connection to \(node) closed before the reply came (\(reason)); the command may or may not have run"
    case .timeout(let node, let after):
      return "\(node) sent no reply within \(after.redisBrief); the connection was closed"
    case .poolTimeout(let node, let after):
      return "every connection to \(node) stayed busy for \(after.redisBrief); raise poolSize or poolTimeout"
    case .circuitOpen(let node, let retryAfter):
      return "\(node) failed repeatedly and its circuit breaker is open; it is tried again in \(retryAfter.redisBrief)"
    case .protocolViolation(let reason): return "not a valid Redis reply: \(reason)"
    case .unexpectedReply(let command, let reply): return "\(command) got an unexpected reply: \(reply)"
    case .crossSlot(let command):
      return "\(command)'s keys hash to different cluster slots; give them a common hash tag, such as {user1}:a and {user1}:b"
    case .tooManyRedirects(let command, let last):
      return "\(command) was redirected too many times (last: \(last)); the cluster may be resharding"
    case .clusterUnavailable(let reason): return "no Redis cluster node answered: \(reason)"
    case .invalidArgument(let reason): return reason
    case .clientClosed: return "the Redis client was shut down"
    case .cancelled: return "the calling task was cancelled"
    case .subscriberTooSlow(let buffered):
      return "the subscriber fell \(buffered) messages behind and the subscription ended; read faster or raise bufferLimit"
    }
  }

  /// Whether the connection the error came on must not be used again.
  var poisonsConnection: Bool {
    switch self {
    case .connectionClosed, .timeout, .protocolViolation: true
    default: false
    }
  }

  /// Whether the command certainly did not reach the server.
  var wasNotSent: Bool {
    switch self {
    case .connectFailed, .poolTimeout, .circuitOpen, .clientClosed, .cancelled, .crossSlot, .invalidArgument: true
    default: false
    }
  }
}

extension RedisError: FailureClassifying {
  /// How governance counts the error: node failures are transport failures; error replies
  /// are the server's answer.
  public var failureCode: RPCError.Code {
    switch self {
    case .connectFailed: .connectFailed
    case .connectionClosed: .connectionClosed
    case .timeout, .poolTimeout: .deadlineExceeded
    case .circuitOpen: .circuitOpen
    case .protocolViolation, .unexpectedReply: .protocolError
    case .clusterUnavailable: .unavailable
    case .clientClosed: .shuttingDown
    case .cancelled: .cancelled
    case .server, .crossSlot, .tooManyRedirects, .invalidArgument, .subscriberTooSlow: .serverError
    }
  }
}

extension Duration {
  /// `250 ms`, `30 s`.
  var redisBrief: String {
    let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    if milliseconds >= 1000 && milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
    return "\(milliseconds) ms"
  }
}
