import GRPCCore
import WeaverCore

/// The one place where CloudWeaver's failure codes meet gRPC status codes, both ways.
///
/// A governed server answers a refused call with the gRPC status a gRPC client expects
/// (overloaded → `RESOURCE_EXHAUSTED`, breaker open → `UNAVAILABLE`, …) and names the
/// exact CloudWeaver code in the `weaver-error` trailer, so a CloudWeaver client gets back
/// the very code (and a plain gRPC client still sees a standard status).
public enum GRPCErrorMapping {
  /// The trailer that carries the CloudWeaver code of a failure (`overloaded`, …).
  public static let codeKey = "weaver-error"

  /// The gRPC status code for a CloudWeaver failure code.
  public static func grpcCode(for code: WeaverCore.RPCError.Code) -> GRPCCore.RPCError.Code {
    switch code {
    case .deadlineExceeded: .deadlineExceeded
    case .overloaded: .resourceExhausted
    case .cancelled: .cancelled
    case .connectFailed, .connectionClosed, .unavailable, .shuttingDown, .circuitOpen, .degraded, .tlsFailure, .injectedFault: .unavailable
    case .protocolError, .serverError: .internalError
    default: .unknown
    }
  }

  /// A CloudWeaver error as the gRPC error a handler or a client call throws.
  public static func grpcError(_ error: WeaverCore.RPCError) -> GRPCCore.RPCError {
    var metadata = GRPCCore.Metadata()
    metadata.addString(error.code.name, forKey: codeKey)
    return GRPCCore.RPCError(code: grpcCode(for: error.code), message: error.message, metadata: metadata, cause: error)
  }

  /// The CloudWeaver code of a failed gRPC call: the `weaver-error` trailer when the server
  /// sent one, else the status code's nearest meaning; `nil` for the statuses that are the
  /// caller's or the business's concern (`INVALID_ARGUMENT`, `NOT_FOUND`, …), which no
  /// breaker counts against the service.
  public static func weaverCode(for code: GRPCCore.RPCError.Code, metadata: GRPCCore.Metadata = [:]) -> WeaverCore.RPCError.Code? {
    if let named = metadata[stringValues: codeKey].first(where: { _ in true }), let known = WeaverCore.RPCError.Code(name: named) {
      return known
    }
    switch code {
    case .deadlineExceeded: return .deadlineExceeded
    case .resourceExhausted: return .overloaded
    case .cancelled: return .cancelled
    case .unavailable: return .unavailable
    case .internalError, .unknown, .dataLoss, .unimplemented: return .serverError
    default: return nil
    }
  }

  /// A failed gRPC call as the CloudWeaver error a handler of another protocol rethrows
  /// (a Thrift handler calling a gRPC service, say), so the failure crosses the hop as
  /// itself; statuses of the business (`NOT_FOUND`, …) come back as `nil`.
  public static func weaverError(_ error: GRPCCore.RPCError) -> WeaverCore.RPCError? {
    if let cause = error.cause as? WeaverCore.RPCError { return cause }
    return weaverCode(for: error.code, metadata: error.metadata).map { WeaverCore.RPCError($0, error.message) }
  }

  /// How a gRPC call that ended with `error` counts for governance.
  public static func outcome(of error: GRPCCore.RPCError) -> CallOutcome {
    weaverCode(for: error.code, metadata: error.metadata).map(CallOutcome.failure) ?? .declaredError
  }

  /// How a gRPC call that threw `error` counts: gRPC errors by their status, CloudWeaver
  /// errors by their code, anything else as the other transports count it.
  public static func outcome(ofAny error: any Error) -> CallOutcome {
    switch error {
    case let error as GRPCCore.RPCError: outcome(of: error)
    case let error as any RPCErrorConvertible: outcome(of: GRPCCore.RPCError(error))
    default: CallOutcome(error: error)
    }
  }
}

/// A CloudWeaver error thrown in a gRPC handler (or by its middleware) reaches the caller
/// as the mapped gRPC status, with the `weaver-error` trailer.
extension WeaverCore.RPCError: RPCErrorConvertible {
  public var rpcErrorCode: GRPCCore.RPCError.Code { GRPCErrorMapping.grpcCode(for: code) }
  public var rpcErrorMessage: String { message }
  public var rpcErrorMetadata: GRPCCore.Metadata {
    var metadata = GRPCCore.Metadata()
    metadata.addString(code.name, forKey: GRPCErrorMapping.codeKey)
    return metadata
  }
}
