import Synchronization
import WeaverCore

/// Governance for the calls a server answers, under its service's rules: per method, a
/// token bucket (`limits.qps`, `limits.burst`) and a concurrency limit
/// (`limits.maxInFlight`). A call over either is refused at once with `overloaded`, which
/// clients do not retry into.
///
/// ```swift
/// let rules = RuleStore(service: "FeedService", sources: [RuleFileWatcher(path: "service.yaml")])
/// let server = ThriftServer(configuration: .init(middlewares: [ServerGovernor(rules: rules).middleware]), services: [...])
/// ```
public final class ServerGovernor: Sendable {
  public let rules: RuleStore
  let time: TimeSource
  let events: GovernanceEvents
  /// Each method's limiters (kept while its limit rules stay the same).
  private let state = Mutex<[String: MethodLimits]>([:])

  /// The limiters of one method, and the rules they were made from.
  final class MethodLimits: Sendable {
    let rules: LimitRules
    let bucket: TokenBucket?
    let inFlight: InFlightLimiter?

    init(_ rules: LimitRules) {
      self.rules = rules
      self.bucket = TokenBucket(limits: rules)
      self.inFlight = rules.serverMaxInFlight.map { InFlightLimiter(limit: $0) }
    }
  }

  public init(rules: RuleStore, time: TimeSource = .continuous, events: GovernanceEvents = GovernanceEvents()) {
    self.rules = rules
    self.time = time
    self.events = events
  }

  /// The server middleware that applies these rules.
  public var middleware: some ServerMiddleware { ServerGovernanceMiddleware(governor: self) }

  /// The limiters for `method` under `limits` (remade when the rules change them; calls in
  /// flight release into the limiter they took from).
  func limits(for method: String, _ resolved: ResolvedRules) -> MethodLimits? {
    let limits = resolved.rules.limits
    guard limits.serverQPS != nil || limits.serverMaxInFlight != nil else { return nil }
    return state.withLock { state in
      if let current = state[method], current.rules == limits { return current }
      let made = MethodLimits(limits)
      state[method] = made
      return made
    }
  }
}

/// ``ServerGovernor``'s middleware.
struct ServerGovernanceMiddleware: ServerMiddleware {
  let governor: ServerGovernor

  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    let resolved = governor.rules.currentSnapshot.resolved(for: context.method)
    guard let limits = governor.limits(for: context.method, resolved) else { return try await next(request, context) }
    if let bucket = limits.bucket, !bucket.tryTake(now: governor.time.now()) {
      governor.events.rejected(service: governor.rules.service, method: context.method, code: .overloaded, reason: "qps")
      throw RPCError(.overloaded, "\(governor.rules.service).\(context.method) is over its rate limit of \(RuleFieldType.format(limits.rules.serverQPS ?? 0)) calls/s")
    }
    guard let inFlight = limits.inFlight else { return try await next(request, context) }
    guard inFlight.tryAcquire() else {
      governor.events.rejected(service: governor.rules.service, method: context.method, code: .overloaded, reason: "maxInFlight")
      throw RPCError(.overloaded, "\(governor.rules.service).\(context.method) already runs \(inFlight.limit) calls (limits.maxInFlight)")
    }
    defer { inFlight.release() }
    return try await next(request, context)
  }
}
