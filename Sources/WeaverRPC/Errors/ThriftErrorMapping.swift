import WeaverCore
import WeaverThrift

/// The one place where errors become Thrift replies and replies become errors again.
///
/// A server answers a call that failed with an ``RPCError`` (thrown by a middleware or a
/// handler: overloaded, breaker open, degraded, injected fault, deadline) with a `TApplicationException` whose type is
/// `100 + ` the ``RPCError/Code`` wire value; a CloudWeaver client turns it back into that
/// ``RPCError``, so governance sees `overloaded` as overloaded on every transport, Framed
/// included. Other Thrift peers see an exception of an unknown type with a clear message.
/// `shuttingDown` travels as fbthrift's `loadShedding` (11), which other clients know.
public enum ThriftErrorMapping {
  /// The first `TApplicationException` type used for ``RPCError`` codes.
  public static let codeBase: Int32 = 100

  /// The exception a server sends for `error`, thrown by middleware or while serving a call.
  public static func exception(for error: any Error, method: String) -> TApplicationException {
    switch error {
    case let exception as TApplicationException:
      return exception
    case let error as RPCError:
      return exception(for: error)
    case let error as ThriftProtocolError:
      return TApplicationException(.protocolError, "Error decoding arguments of '\(method)': \(error)")
    default:
      return TApplicationException(.internalError, "Internal error processing '\(method)': \(error)")
    }
  }

  /// The exception that carries `error` to a client.
  public static func exception(for error: RPCError) -> TApplicationException {
    if error.code == .shuttingDown { return TApplicationException(.loadShedding, error.message) }
    return TApplicationException(.unrecognized(codeBase + Int32(error.code.wireValue)), error.message)
  }

  /// What a client throws for an exception reply: the ``RPCError`` a CloudWeaver server
  /// sent, or the exception itself.
  public static func error(from exception: TApplicationException) -> any Error {
    switch exception.kind {
    case .loadShedding:
      return RPCError(.shuttingDown, exception.message)
    default:
      return code(of: exception.kind).map { RPCError($0, exception.message) } ?? exception
    }
  }

  /// The ``RPCError`` code a CloudWeaver server put in an exception's type, if it did.
  static func code(of kind: TApplicationException.Kind) -> RPCError.Code? {
    guard case .unrecognized(let value) = kind, value > codeBase, value <= codeBase + Int32(RPCError.Code.all.count) else { return nil }
    return RPCError.Code(wireValue: Int(value - codeBase))
  }

  /// How a server-side outcome counts for governance.
  public static func outcome(_ outcome: ThriftCallOutcome) -> CallOutcome {
    switch outcome {
    case .success: .success
    case .declaredException: .declaredError
    case .applicationException(let kind): .failure(TApplicationException(kind).failureCode)
    }
  }
}

extension TApplicationException: FailureClassifying {
  /// Bad arguments and bad messages are protocol errors; anything else the server failed.
  public var failureCode: RPCError.Code {
    switch kind {
    case .protocolError, .invalidMessageType, .invalidProtocol, .invalidTransform, .badSequenceID, .wrongMethodName: .protocolError
    case .loadShedding: .shuttingDown
    default: ThriftErrorMapping.code(of: kind) ?? .serverError
    }
  }
}
