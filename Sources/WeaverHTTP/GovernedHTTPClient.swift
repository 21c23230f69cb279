import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import WeaverCore
import WeaverDiscovery
import WeaverGovernance

/// An HTTP client for one service that routes, balances, breaks and retries through the
/// same governance as the Thrift and gRPC clients, and forwards the call's context
/// (release tag, region, persistent keys, trace context) to the next hop.
///
/// ```swift
/// let feed = GovernedHTTPClient(service: "feed-http", resolver: resolver, governance: ClientGovernor(rules: rules))
/// // run `feed` in your ServiceGroup (it follows discovery), then:
/// let answer = try await feed.execute(.POST, "/echo", body: ByteBuffer(string: #"{"message":"hi"}"#))
/// ```
///
/// An answer from the service is returned whatever its status (a 503 after the last retry
/// too); a call that never got one throws ``RPCError`` (`circuitOpen`, `unavailable`,
/// `deadlineExceeded`, …). 5xx, 429 and transport failures count against the instance and
/// the method; other 4xx are the caller's business. Retries follow the rules (by default
/// only a connect that failed, which never sent the request).
public final class GovernedHTTPClient: Service, Sendable {
  /// What the client adds to each call and how it talks to instances.
  public struct Configuration: Sendable {
    /// The caller's service name, sent as `x-weaver-caller`.
    public var callerName: String?
    /// Client middleware run around each call (outside the governor): tracing, metrics, …
    public var middlewares: [any ClientMiddleware]
    /// `http` or `https`.
    public var scheme: String
    /// The time a call may take when neither the rules, the caller nor `timeout:` set one.
    public var defaultTimeout: Duration
    /// The largest response body read (a larger one fails the call with `protocolError`).
    public var maxResponseBytes: Int
    /// The metadata key of the release tag (also sent as `X-Release-Tag`).
    public var releaseTagKey: String

    public init(
      callerName: String? = nil, middlewares: [any ClientMiddleware] = [], scheme: String = "http", defaultTimeout: Duration = .seconds(30),
      maxResponseBytes: Int = 4 << 20, releaseTagKey: String = "release"
    ) {
      self.callerName = callerName
      self.middlewares = middlewares
      self.scheme = scheme
      self.defaultTimeout = defaultTimeout
      self.maxResponseBytes = maxResponseBytes
      self.releaseTagKey = releaseTagKey
    }
  }

  public let service: String
  public let configuration: Configuration
  private let resolver: any InstanceResolver
  private let selector: any InstanceSelector
  private let governor: ClientGovernor?
  private let http: HTTPClient

  public init(
    service: String, resolver: any InstanceResolver, governance: ClientGovernor? = nil, httpClient: HTTPClient = GovernedHTTPClient.failingFast,
    configuration: Configuration = Configuration()
  ) {
    self.service = service
    self.resolver = resolver
    self.governor = governance
    self.selector = governance ?? RoundRobinSelector()
    self.http = httpClient
    self.configuration = configuration
    if let fixed = resolver as? StaticResolver { selector.update(fixed.instances) }
  }

  /// The process-wide AsyncHTTPClient governed clients use unless given another: like
  /// `HTTPClient.shared`, except that a connection that cannot be made fails the request at
  /// once (AsyncHTTPClient's default is to keep retrying the same instance until the connect
  /// timeout), so the governor can retry on another instance and the instance's breaker
  /// sees the failure. Never shut down.
  public static let failingFast: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(3)
    return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
  }()

  /// Follows discovery until graceful shutdown.
  public func run() async throws {
    try await cancelWhenGracefulShutdown {
      for try await instances in self.resolver.updates() { self.selector.update(instances) }
      try await gracefulShutdown()
    }
  }

  /// Sends one request to an instance of the service, governed. `route` names the call for
  /// rules and metrics (default: `METHOD path`; give the route, `GET /users/{id}`, when
  /// paths carry identifiers, to keep metrics bounded).
  public func execute(
    _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil, route: String? = nil, timeout: Duration? = nil
  ) async throws -> GovernedHTTPResponse {
    let context = outgoingContext(method: route ?? "\(method.rawValue) \(path)", timeout: timeout)
    let attempt: @Sendable (ByteBuffer?, CallContext) async throws -> GovernedHTTPResponse = { body, context in
      try await self.attempt(method, path, headers: headers, body: body, context: context)
    }
    do {
      switch (governor, configuration.middlewares.isEmpty) {
      case (let governor?, true): return try await governor.run(body, context: context, attempt: attempt)
      case (let governor?, false):
        return try await configuration.middlewares.run(body, context: context) { body, context in
          try await governor.run(body, context: context, attempt: attempt)
        }
      case (nil, true): return try await attempt(body, context)
      case (nil, false): return try await configuration.middlewares.run(body, context: context, call: attempt)
      }
    } catch let failed as FailedHTTPAnswer {
      // The service answered: its answer is the caller's, as any HTTP client returns it.
      return failed.response
    }
  }

  private func attempt(
    _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?, context: CallContext
  ) async throws -> GovernedHTTPResponse {
    let selection = try selector.select(context)
    CallEvents.peer(selection.instance)
    var request = HTTPClientRequest(url: "\(configuration.scheme)://\(Self.authority(selection.instance))\(path)")
    request.method = method
    request.headers = headers
    for (name, value) in HTTPCallHeaders.write(context, releaseTagKey: configuration.releaseTagKey) { request.headers.replaceOrAdd(name: name, value: value) }
    if let body { request.body = .bytes(body) }
    let remaining = context.remaining() ?? configuration.defaultTimeout
    let response: GovernedHTTPResponse
    do {
      let answer = try await http.execute(request, deadline: .now() + .nanoseconds(Int64(remaining.nanoseconds)))
      let bytes = try await answer.body.collect(upTo: configuration.maxResponseBytes)
      response = GovernedHTTPResponse(status: answer.status, headers: answer.headers, body: bytes)
    } catch {
      let failure = HTTPClientFailure.classify(error, instance: selection.instance, limit: configuration.maxResponseBytes)
      selection.finish(.failure(failure.code))
      throw failure
    }
    let outcome = HTTPErrorMapping.outcome(status: Int(response.status.code), named: response.headers.first(name: HTTPErrorMapping.codeHeader))
    selection.finish(outcome)
    if let code = outcome.failureCode { throw FailedHTTPAnswer(response: response, failureCode: code) }
    return response
  }

  private func outgoingContext(method: String, timeout: Duration?) -> CallContext {
    let current = CallContext.current
    var context = CallContext(service: service, method: method, caller: configuration.callerName)
    if let current {
      context.metadata = Metadata(transient: current.metadata.transient, persistent: current.metadata.persistent)
      context.deadline = current.deadline
    }
    if let timeout {
      let deadline = ContinuousClock.now.advanced(by: timeout)
      context.deadline = context.deadline.map { min($0, deadline) } ?? deadline
    }
    return context
  }

  /// `host:port`, with an IPv6 host in brackets.
  static func authority(_ instance: Instance) -> String {
    instance.host.contains(":") ? "[\(instance.host)]:\(instance.port)" : "\(instance.host):\(instance.port)"
  }
}

/// A service's answer, its body read.
public struct GovernedHTTPResponse: Sendable {
  public var status: HTTPResponseStatus
  public var headers: HTTPHeaders
  public var body: ByteBuffer

  /// The body as UTF-8 text.
  public var text: String { String(buffer: body) }
}

/// An answer that counts as a failure (5xx, 429): the governor may retry it; the caller
/// gets it back when no retry is left.
struct FailedHTTPAnswer: Error, FailureClassifying {
  let response: GovernedHTTPResponse
  let failureCode: RPCError.Code
}

/// What AsyncHTTPClient's errors mean for governance.
enum HTTPClientFailure {
  static func classify(_ error: any Error, instance: Instance, limit: Int) -> RPCError {
    if error is NIOTooManyBytesError { return RPCError(.protocolError, "\(instance) answered with a body over \(limit) bytes") }
    if let error = error as? HTTPClientError {
      switch error {
      case .deadlineExceeded, .readTimeout, .writeTimeout: return RPCError(.deadlineExceeded, "\(instance) did not answer in time")
      case .connectTimeout, .socksHandshakeTimeout, .tlsHandshakeTimeout: return RPCError(.connectFailed, "could not connect to \(instance): \(error)")
      case .cancelled: return RPCError(.cancelled, "the call to \(instance) was cancelled")
      default: return RPCError(.connectionClosed, "the call to \(instance) failed: \(error)")
      }
    }
    if error is CancellationError { return RPCError(.cancelled, "the call to \(instance) was cancelled") }
    if connectFailed(error) { return RPCError(.connectFailed, "could not connect to \(instance): \(error)") }
    return RPCError(.connectionClosed, "the call to \(instance) failed: \(error)")
  }

  /// Whether the connection was never made (the request never left this process).
  static func connectFailed(_ error: any Error) -> Bool {
    if let error = error as? NIOConnectionError { return !error.connectionErrors.isEmpty }
    if let error = error as? IOError { return [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) }
    if let error = error as? ChannelError, case .connectTimeout = error { return true }
    return false
  }
}

extension Duration {
  var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
