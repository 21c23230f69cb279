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
  public func run<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, call: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await runMiddlewares(self[...], request, context, call)
  }
}

extension Array where Element == any ServerMiddleware {
  /// Runs `request` through every middleware, first to last, then `handler`.
  public func run<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, handler: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await runServerMiddlewares(self[...], request, context, handler)
  }
}

private func runMiddlewares<Request: Sendable, Response: Sendable>(
  _ middlewares: ArraySlice<any ClientMiddleware>, _ request: Request, _ context: CallContext,
  _ call: (Request, CallContext) async throws -> Response
) async throws -> Response {
  guard let first = middlewares.first else { return try await call(request, context) }
  return try await first.intercept(request, context: context) { request, context in
    try await runMiddlewares(middlewares.dropFirst(), request, context, call)
  }
}

private func runServerMiddlewares<Request: Sendable, Response: Sendable>(
  _ middlewares: ArraySlice<any ServerMiddleware>, _ request: Request, _ context: CallContext,
  _ handler: (Request, CallContext) async throws -> Response
) async throws -> Response {
  guard let first = middlewares.first else { return try await handler(request, context) }
  return try await first.intercept(request, context: context) { request, context in
    try await runServerMiddlewares(middlewares.dropFirst(), request, context, handler)
  }
}
