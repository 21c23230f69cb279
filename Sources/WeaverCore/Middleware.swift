/// Something that wraps calls a client makes: retries, breakers, tracing, metrics… Written
/// once, against any request and response type, and run by every transport (Thrift, gRPC,
/// HTTP) the same way.
///
/// ```swift
/// struct Logging: ClientMiddleware {
///   func intercept<Request: Sendable, Response: Sendable>(
///     _ request: Request, context: CallContext,
///     next: (Request, CallContext) async throws -> Response
///   ) async throws -> Response {
///     print("→ \(context.service).\(context.method)")
///     return try await next(request, context)
///   }
/// }
/// ```
public protocol ClientMiddleware: Sendable {
  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext,
    next: (Request, CallContext) async throws -> Response
  ) async throws -> Response
}

/// The server-side counterpart of ``ClientMiddleware``: it wraps the handler.
public protocol ServerMiddleware: Sendable {
  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext,
    next: (Request, CallContext) async throws -> Response
  ) async throws -> Response
}

extension Array where Element == any ClientMiddleware {
  /// Runs `request` through every middleware, first to last, then `call`.
  @inlinable
  public func run<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, call: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await runChain(self, from: 0, request, context, last: call) { try await $0.intercept($1, context: $2, next: $3) }
  }
}

extension Array where Element == any ServerMiddleware {
  /// Runs `request` through every middleware, first to last, then `handler`.
  @inlinable
  public func run<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, handler: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await runChain(self, from: 0, request, context, last: handler) { try await $0.intercept($1, context: $2, next: $3) }
  }
}

/// Runs `middlewares` in order around `last`; `intercept` calls one middleware (client and
/// server middleware have the same shape but are different protocols). Inlinable, so it is
/// specialised for the request and response types where it is called.
@inlinable
func runChain<Middleware, Request: Sendable, Response: Sendable>(
  _ middlewares: [Middleware], from index: Int, _ request: Request, _ context: CallContext,
  last: (Request, CallContext) async throws -> Response,
  intercept: @escaping (Middleware, Request, CallContext, (Request, CallContext) async throws -> Response) async throws -> Response
) async throws -> Response {
  // An index into the array, not a slice: a slice's type metadata was looked up (under a
  // lock) at every step of every call.
  guard index < middlewares.count else { return try await last(request, context) }
  return try await intercept(middlewares[index], request, context) { request, context in
    try await runChain(middlewares, from: index + 1, request, context, last: last, intercept: intercept)
  }
}
