import CoreMetrics
import Synchronization
import WeaverCore

/// The RPC metrics' names and help, the one catalogue the Prometheus exposition and
/// docs/observability.md use.
public enum RPCMetricNames {
  /// Client calls' duration, by `service`, `method`, `outcome` (`success`, `declared`,
  /// `failure`) and `code` (the failure's code; `none` otherwise). Its `_count` counts calls.
  public static let clientDuration = "weaver_rpc_client_duration_seconds"
  /// Client calls under way, by `service` and `method`.
  public static let clientInFlight = "weaver_rpc_client_calls_in_flight"
  /// Server calls' duration (handler and middleware), by the same dimensions.
  public static let serverDuration = "weaver_rpc_server_duration_seconds"
  /// Server calls under way, by `service` and `method`.
  public static let serverInFlight = "weaver_rpc_server_calls_in_flight"

  /// Help text for each.
  public static let help: [String: String] = [
    clientDuration: "Duration of RPC calls made, by service, method, outcome and failure code.",
    clientInFlight: "RPC calls made and not yet answered, by service and method.",
    serverDuration: "Duration of RPC calls served, by service, method, outcome and failure code.",
    serverInFlight: "RPC calls being served, by service and method.",
  ]
}

/// One side's metric handles, made once per (service, method[, outcome, code]) and kept:
/// swift-metrics handles are not free to make on every call. Cardinality is bounded by the
/// IDL's methods and the outcome codes.
final class RPCMetricHandles: Sendable {
  let durationName: String
  let inFlightName: String
  let factory: any MetricsFactory
  private let timers = Mutex<[Series: Timer]>([:])
  private let meters = Mutex<[Series: Meter]>([:])

  /// One series' labels (strings shared with the context: no allocation per call).
  struct Series: Hashable {
    var service: String
    var method: String
    var outcome = ""
    var code = ""
  }

  init(durationName: String, inFlightName: String, factory: any MetricsFactory) {
    self.durationName = durationName
    self.inFlightName = inFlightName
    self.factory = factory
  }

  func inFlight(_ context: CallContext) -> Meter {
    let key = Series(service: context.service, method: context.method)
    if let meter = meters.withLock({ $0[key] }) { return meter }
    let meter = Meter(label: inFlightName, dimensions: [("service", context.service), ("method", context.method)], factory: factory)
    return meters.withLock { $0[key, default: meter] }
  }

  func duration(_ context: CallContext, _ outcome: CallOutcome) -> Timer {
    let (name, code) = Self.labels(outcome)
    let key = Series(service: context.service, method: context.method, outcome: name, code: code)
    if let timer = timers.withLock({ $0[key] }) { return timer }
    let timer = Timer(
      label: durationName,
      dimensions: [("service", context.service), ("method", context.method), ("outcome", name), ("code", code)], factory: factory)
    return timers.withLock { $0[key, default: timer] }
  }

  /// Runs `body` counted in flight and timed by how it ended.
  func measure<Response: Sendable>(_ context: CallContext, _ body: () async throws -> Response) async throws -> Response {
    let inFlight = inFlight(context)
    inFlight.increment()
    defer { inFlight.decrement() }
    let start = ContinuousClock.now
    do {
      let response = try await body()
      let outcome = (response as? any OutcomeReporting)?.outcome ?? .success
      duration(context, outcome).recordNanoseconds(Self.nanoseconds(since: start))
      return response
    } catch {
      duration(context, CallOutcome(error: error)).recordNanoseconds(Self.nanoseconds(since: start))
      throw error
    }
  }

  static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
    let elapsed = start.duration(to: .now).components
    return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
  }

  static func labels(_ outcome: CallOutcome) -> (String, String) {
    switch outcome {
    case .success: ("success", "none")
    case .declaredError: ("declared", "none")
    case .failure(let code): ("failure", code.name)
    }
  }
}

/// Client call metrics through swift-metrics: a duration histogram by service, method,
/// outcome and failure code, and calls in flight (``RPCMetricNames``). Any swift-metrics
/// backend receives them; `WeaverAdmin` serves them to Prometheus.
public struct MetricsClientMiddleware: ClientMiddleware {
  let handles: RPCMetricHandles

  /// Metrics made by `factory` (default: the one bootstrapped in `MetricsSystem`).
  public init(factory: (any MetricsFactory)? = nil) {
    handles = RPCMetricHandles(
      durationName: RPCMetricNames.clientDuration, inFlightName: RPCMetricNames.clientInFlight, factory: factory ?? MetricsSystem.factory)
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await handles.measure(context) { try await next(request, context) }
  }
}

/// Server call metrics through swift-metrics (``RPCMetricNames``).
public struct MetricsServerMiddleware: ServerMiddleware {
  let handles: RPCMetricHandles

  /// Metrics made by `factory` (default: the one bootstrapped in `MetricsSystem`).
  public init(factory: (any MetricsFactory)? = nil) {
    handles = RPCMetricHandles(
      durationName: RPCMetricNames.serverDuration, inFlightName: RPCMetricNames.serverInFlight, factory: factory ?? MetricsSystem.factory)
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await handles.measure(context) { try await next(request, context) }
  }
}
