/// Which calls a middleware applies to: all, some services, or some methods (grpc-swift-2's
/// `ConditionalInterceptor` idea).
///
/// ```swift
/// let audit = Audit().only(for: .methods([("FeedService", "postFeed")]))
/// ```
public struct CallFilter: Sendable {
  private enum Scope: Sendable {
    case all
    case services(Set<String>)
    case methods(Set<String>)
  }

  private let scope: Scope

  /// Every call.
  public static let all = CallFilter(scope: .all)

  /// Calls to these services.
  public static func services(_ names: [String]) -> CallFilter { CallFilter(scope: .services(Set(names))) }

  /// Calls to these (service, method) pairs.
  public static func methods(_ pairs: [(service: String, method: String)]) -> CallFilter {
    CallFilter(scope: .methods(Set(pairs.map { "\($0.service).\($0.method)" })))
  }

  /// Whether the call `context` describes is in scope.
  public func matches(_ context: CallContext) -> Bool {
    switch scope {
    case .all: true
    case .services(let names): names.contains(context.service)
    case .methods(let names): names.contains("\(context.service).\(context.method)")
    }
  }
}

/// A client middleware that runs only for the calls its filter matches.
public struct ConditionalClientMiddleware: ClientMiddleware {
  public let wrapped: any ClientMiddleware
  public let filter: CallFilter

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    guard filter.matches(context) else { return try await next(request, context) }
    return try await wrapped.intercept(request, context: context, next: next)
  }
}

/// A server middleware that runs only for the calls its filter matches.
public struct ConditionalServerMiddleware: ServerMiddleware {
  public let wrapped: any ServerMiddleware
  public let filter: CallFilter

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    guard filter.matches(context) else { return try await next(request, context) }
    return try await wrapped.intercept(request, context: context, next: next)
  }
}

extension ClientMiddleware {
  /// This middleware, for the calls `filter` matches only.
  public func only(for filter: CallFilter) -> ConditionalClientMiddleware {
    ConditionalClientMiddleware(wrapped: self, filter: filter)
  }
}

extension ServerMiddleware {
  /// This middleware, for the calls `filter` matches only.
  public func only(for filter: CallFilter) -> ConditionalServerMiddleware {
    ConditionalServerMiddleware(wrapped: self, filter: filter)
  }
}
