import ServiceContextModule

/// What a call carries besides its arguments: whom it is for, until when, and metadata.
///
/// A server runs each handler with the call's context as ``current``; a client reads
/// ``current`` when it sends, so a call made inside a handler inherits the persistent
/// metadata and the deadline of the call being served, with no code in the handler.
///
/// ```swift
/// try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) {
///   try await feed.getFeed(viewer: 1, limit: 10, cursor: nil)   // carries RPC_PERSIST_release
/// }
/// ```
public struct CallContext: Sendable {
  /// The IDL service called.
  public var service: String
  /// The method called.
  public var method: String
  /// The caller's service name, when it said (Kitex int header 3).
  public var caller: String?
  /// When the call must be over.
  public var deadline: ContinuousClock.Instant?
  public var metadata: Metadata
  /// Plain string headers of this call (TTHeader and THeader string headers; gRPC metadata
  /// and HTTP headers in their adapters): on a client, sent as they are — tracing puts W3C
  /// `traceparent`, `tracestate` and `baggage` here; on a server, the ones received. Unlike
  /// ``metadata`` they are never inherited by the calls made while serving this one.
  public var headers: [String: String] = [:]
  /// What a client's call stage keeps for this call and hands to its instance stage with
  /// the context (``ClientGovernor``'s log of the instances tried). Transports pass it
  /// along untouched; it never goes on the wire.
  public var attemptState: (any CallAttemptState)?

  public init(service: String = "", method: String = "", caller: String? = nil, deadline: ContinuousClock.Instant? = nil, metadata: Metadata = Metadata()) {
    self.service = service
    self.method = method
    self.caller = caller
    self.deadline = deadline
    self.metadata = metadata
  }

  /// The context of the call being served (or set up by ``with(metadata:deadline:_:)``):
  /// kept in swift-service-context's `ServiceContext.current`, beside the trace context,
  /// so tracing, logging and our metadata read one context.
  public static var current: CallContext? { ServiceContext.current?.callContext }

  /// Runs `body` with `context` as ``current`` (in the current `ServiceContext`).
  public static func withCurrent<T>(_ context: CallContext, _ body: () async throws -> T) async rethrows -> T {
    var service = ServiceContext.current ?? .topLevel
    service.callContext = context
    return try await ServiceContext.withValue(service, operation: body)
  }

  /// Runs `body` with extra metadata and an optional deadline for the calls it makes.
  /// Metadata merges into the current context's (the new values win); the deadline is the
  /// earlier of the two.
  public static func with<T>(
    metadata: Metadata = Metadata(), deadline: ContinuousClock.Instant? = nil, _ body: () async throws -> T
  ) async rethrows -> T {
    var context = current ?? CallContext()
    context.metadata.transient.merge(metadata.transient) { $1 }
    context.metadata.persistent.merge(metadata.persistent) { $1 }
    if let deadline { context.deadline = context.deadline.map { min($0, deadline) } ?? deadline }
    return try await withCurrent(context, body)
  }

  /// How long is left before the deadline, if there is one (never negative).
  public func remaining(now: ContinuousClock.Instant = .now) -> Duration? {
    deadline.map { max(.zero, now.duration(to: $0)) }
  }
}

/// Where ``CallContext/current`` lives in a `ServiceContext`.
private enum CallContextKey: ServiceContextKey {
  typealias Value = CallContext
  static let nameOverride: String? = "weaver.call"
}

extension ServiceContext {
  /// The call being served or made (see ``CallContext/current``).
  public var callContext: CallContext? {
    get { self[CallContextKey.self] }
    set { self[CallContextKey.self] = newValue }
  }
}

/// State a client's call stage keeps for one call, for its instance stage (see
/// ``CallContext/attemptState``).
public protocol CallAttemptState: AnyObject, Sendable {}
