/// Why a call failed, when the failure is not the service's own (declared exceptions and
/// `TApplicationException`s from the server are thrown as themselves).
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Code: String, Hashable, Sendable {
    /// The connection could not be made (refused, unreachable, or the connect timeout hit).
    case connectFailed
    /// The deadline passed before the reply came.
    case deadlineExceeded
    /// The connection closed or reset while the call was in flight.
    case connectionClosed
    /// The peer sent bytes that are not a valid frame or message.
    case protocolError
    /// The server refused the call because it is at its concurrency limit.
    case overloaded
    /// The calling task was cancelled.
    case cancelled
    /// There is no instance to call.
    case unavailable
    /// TLS could not be set up.
    case tlsFailure
    /// The server is shutting down and accepts no new calls.
    case shuttingDown
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code.rawValue): \(message)" }
}
