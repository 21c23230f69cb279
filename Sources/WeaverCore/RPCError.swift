/// Why a call failed, when the failure is not the service's own (declared exceptions are
/// thrown as themselves).
///
/// Codes are an open set: match on the ones you care about and keep a default, as new
/// codes arrive with new features (governance added `circuitOpen`, `degraded`, …).
///
/// ```swift
/// do { try await feed.getFeed(viewer: 1, limit: 10, cursor: nil) }
/// catch let error as RPCError where error.code == .circuitOpen { showCachedFeed() }
/// ```
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }
}

extension RPCError {
  /// What kind of failure an ``RPCError`` is: a struct over a private enumeration, so codes
  /// can be added without breaking anyone's exhaustive `switch`.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    enum Wrapped: Int, CaseIterable {
      case connectFailed = 1, deadlineExceeded, connectionClosed, protocolError, overloaded, cancelled, unavailable
      case tlsFailure, shuttingDown, serverError, circuitOpen, degraded, injectedFault, unknown
    }

    let wrapped: Wrapped

    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The connection could not be made (refused, unreachable, or the connect timeout hit).
    public static let connectFailed = Code(.connectFailed)
    /// The deadline passed before the reply came.
    public static let deadlineExceeded = Code(.deadlineExceeded)
    /// The connection closed or reset while the call was in flight.
    public static let connectionClosed = Code(.connectionClosed)
    /// The peer sent bytes that are not a valid frame or message.
    public static let protocolError = Code(.protocolError)
    /// The server refused the call unprocessed: a concurrency or rate limit. Not retried.
    public static let overloaded = Code(.overloaded)
    /// The calling task was cancelled.
    public static let cancelled = Code(.cancelled)
    /// There is no instance to call.
    public static let unavailable = Code(.unavailable)
    /// TLS could not be set up.
    public static let tlsFailure = Code(.tlsFailure)
    /// The server is shutting down and did not process the call (safe to send elsewhere).
    public static let shuttingDown = Code(.shuttingDown)
    /// The server failed the call with an error its interface does not declare.
    public static let serverError = Code(.serverError)
    /// A circuit breaker is open: the call failed fast without touching the network.
    public static let circuitOpen = Code(.circuitOpen)
    /// A degrade switch turned the call away.
    public static let degraded = Code(.degraded)
    /// Fault injection aborted the call.
    public static let injectedFault = Code(.injectedFault)
    /// A failure of no known kind (a code from a newer peer, say).
    public static let unknown = Code(.unknown)

    /// Every code, in a stable order.
    public static let all: [Code] = Wrapped.allCases.map(Code.init)

    /// The code's name as written in rules and logs (`deadlineExceeded`).
    public var name: String {
      switch wrapped {
      case .connectFailed: "connectFailed"
      case .deadlineExceeded: "deadlineExceeded"
      case .connectionClosed: "connectionClosed"
      case .protocolError: "protocolError"
      case .overloaded: "overloaded"
      case .cancelled: "cancelled"
      case .unavailable: "unavailable"
      case .tlsFailure: "tlsFailure"
      case .shuttingDown: "shuttingDown"
      case .serverError: "serverError"
      case .circuitOpen: "circuitOpen"
      case .degraded: "degraded"
      case .injectedFault: "injectedFault"
      case .unknown: "unknown"
      }
    }

    /// The code named `name`, if there is one.
    public init?(name: String) {
      guard let code = Self.all.first(where: { $0.name == name }) else { return nil }
      self = code
    }

    /// A stable number for the wire (transports put it where their format allows).
    public var wireValue: Int { wrapped.rawValue }

    /// The code for a number from the wire; unknown numbers become ``unknown``.
    public init(wireValue: Int) {
      self.init(Wrapped(rawValue: wireValue) ?? .unknown)
    }

    public var description: String { name }
  }
}
