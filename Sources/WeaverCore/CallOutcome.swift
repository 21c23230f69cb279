/// How a call ended, as governance (breakers, load balancers, metrics) counts it.
public enum CallOutcome: Hashable, Sendable {
  /// A normal reply.
  case success
  /// The service answered with one of its declared exceptions: a business result, never
  /// counted as a failure of the service.
  case declaredError
  /// The call failed: transport, deadline, overload, an undeclared server error, …
  case failure(RPCError.Code)

  /// The outcome of a call that threw `error`: ``RPCError``s and ``FailureClassifying``
  /// errors are failures of their code, cancellation is `cancelled`, anything else is a
  /// declared (business) error.
  public init(error: any Error) {
    switch error {
    case let error as RPCError: self = .failure(error.code)
    case let error as any FailureClassifying: self = .failure(error.failureCode)
    case is CancellationError: self = .failure(.cancelled)
    default: self = .declaredError
    }
  }

  /// The failure code, if the call failed.
  public var failureCode: RPCError.Code? {
    if case .failure(let code) = self { return code }
    return nil
  }
}

/// An error a transport throws that is a failure of the call rather than a declared
/// business error (a Thrift `TApplicationException`, a decoding error), and which code it
/// counts as.
public protocol FailureClassifying: Error {
  var failureCode: RPCError.Code { get }
}

/// A response that knows how its call ended (a server reply that carries a declared
/// exception looks like any other reply to middleware that cannot decode it).
public protocol OutcomeReporting {
  var outcome: CallOutcome { get }
}
