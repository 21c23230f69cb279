import GRPCCore
import WeaverCore

/// Runs CloudWeaver's server middleware — a ``ServerGovernor``'s limits, tracing, metrics,
/// anything written once for every transport — around each gRPC handler, with the call's
/// context read from its metadata (release tag and other persistent keys, W3C trace
/// headers, deadline) and made ``CallContext/current`` for the handler, so the calls it
/// makes carry them on.
///
/// ```swift
/// let server = GRPCServer(
///   transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "0.0.0.0", port: 50051), transportSecurity: .plaintext),
///   services: [EchoService()],
///   interceptors: [GovernanceServerInterceptor([TracingServerMiddleware(system: "grpc"), governor.middleware])]
/// )
/// ```
///
/// A refusal (overloaded, degraded, an injected fault) reaches the caller as its gRPC
/// status (see ``GRPCErrorMapping``); a handler's own `RPCError` ends the call with its
/// status as it would without the interceptor.
public struct GovernanceServerInterceptor: ServerInterceptor {
  let middlewares: [any ServerMiddleware]

  public init(_ middlewares: [any ServerMiddleware]) {
    self.middlewares = middlewares
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>, context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    let call = GRPCCallMetadata.read(request.metadata, service: context.descriptor.service.fullyQualifiedService, method: context.descriptor.method)
    do {
      let answered = try await middlewares.run(request, context: call) { request, call in
        try await CallContext.withCurrent(call) {
          // A handler's failure comes back as a response with a failed status: thrown
          // here, so middleware counts the call as failed (or declared, per its status).
          let response = try await next(request, context)
          if case .failure(let error) = response.accepted { throw HandlerStatus.error(for: error) }
          return AnsweredResponse(response: response)
        }
      }
      return answered.response
    } catch let failure as HandlerFailure {
      return StreamingServerResponse(error: failure.error)
    } catch let declared as HandlerDeclaredStatus {
      return StreamingServerResponse(error: declared.error)
    }
  }
}

/// A handler's failed status on its way out through the middleware, as the error that
/// makes middleware count it right.
enum HandlerStatus {
  static func error(for error: GRPCCore.RPCError) -> any Error {
    guard let code = GRPCErrorMapping.weaverCode(for: error.code, metadata: error.metadata) else { return HandlerDeclaredStatus(error: error) }
    return HandlerFailure(error: error, failureCode: code)
  }
}

/// A status that is a failure of the service (`UNAVAILABLE`, `INTERNAL`, …).
struct HandlerFailure: Error, FailureClassifying {
  let error: GRPCCore.RPCError
  let failureCode: WeaverCore.RPCError.Code
}

/// A status that is the business's answer (`NOT_FOUND`, `INVALID_ARGUMENT`, …): counted
/// as a declared error, never against the service's health.
struct HandlerDeclaredStatus: Error {
  let error: GRPCCore.RPCError
}

/// A handler's accepted response (the call succeeded as far as middleware can see: a
/// streamed body may still fail, which the caller sees in the trailers).
struct AnsweredResponse<Output: Sendable>: Sendable, OutcomeReporting {
  let response: StreamingServerResponse<Output>
  var outcome: CallOutcome { .success }
}
