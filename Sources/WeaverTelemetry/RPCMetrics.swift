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

/// One side's metric handles, made once per (service, method) and kept: making a handle
/// in a backend such as swift-prometheus means validating its name and looking it up by
/// labels, far too slow for every call. A call looks its method up once and finds
/// everything it records there (and, when given, the method's ``CallStatistics``).
/// Cardinality is bounded by the IDL's methods and the outcome codes.
final class RPCMetricHandles: Sendable {
  let durationName: String
  let inFlightName: String
  let factory: any MetricsFactory
  let statistics: (CallStatistics, CallStatistics.Side)?
  private let methods = Mutex<[Method: MethodHandles]>([:])

  struct Method: Hashable {
    var service: String
    var method: String
  }

  /// What one method's calls record into.
  final class MethodHandles: Sendable {
    let inFlight: Meter
    let success: Timer
    let declared: Timer
    private let failures = Mutex<[String: Timer]>([:])
    /// The method's snapshot statistics, when the middleware keeps them.
    let calls: (statistics: CallStatistics, method: CallStatistics.MethodCalls)?
    private let makeTimer: @Sendable (_ outcome: String, _ code: String) -> Timer

    init(_ handles: RPCMetricHandles, _ context: CallContext) {
      let (service, method, name, factory) = (context.service, context.method, handles.durationName, handles.factory)
      makeTimer = { outcome, code in
        Timer(label: name, dimensions: [("service", service), ("method", method), ("outcome", outcome), ("code", code)], factory: factory)
      }
      inFlight = Meter(label: handles.inFlightName, dimensions: [("service", service), ("method", method)], factory: factory)
      success = makeTimer("success", "none")
      declared = makeTimer("declared", "none")
      calls = handles.statistics.map { statistics, side in (statistics, statistics.calls(side, context)) }
    }

    func duration(_ outcome: CallOutcome) -> Timer {
      switch outcome {
      case .success: return success
      case .declaredError: return declared
      case .failure(let code):
        let name = code.name
        return failures.value(for: name) { makeTimer("failure", name) }
      }
    }
  }

  init(durationName: String, inFlightName: String, factory: any MetricsFactory, statistics: (CallStatistics, CallStatistics.Side)? = nil) {
    self.durationName = durationName
    self.inFlightName = inFlightName
    self.factory = factory
    self.statistics = statistics
  }

  func handles(_ context: CallContext) -> MethodHandles {
    methods.value(for: Method(service: context.service, method: context.method)) { MethodHandles(self, context) }
  }

  /// Runs `body` counted in flight and timed by how it ended.
  func measure<Response: Sendable>(_ context: CallContext, _ body: () async throws -> Response) async throws -> Response {
    let handles = handles(context)
    handles.inFlight.increment()
    if let calls = handles.calls { calls.statistics.started(calls.method) }
    let start = ContinuousClock.now
    let outcome: CallOutcome
    let response: Response
    do {
      response = try await body()
      outcome = (response as? any OutcomeReporting)?.outcome ?? .success
    } catch {
      finish(handles, CallOutcome(error: error), since: start)
      throw error
    }
    finish(handles, outcome, since: start)
    return response
  }

  private func finish(_ handles: MethodHandles, _ outcome: CallOutcome, since start: ContinuousClock.Instant) {
    let elapsed = start.duration(to: .now)
    handles.duration(outcome).recordNanoseconds(Self.nanoseconds(elapsed))
    if let calls = handles.calls { calls.statistics.finished(calls.method, after: elapsed) }
    handles.inFlight.decrement()
  }

  static func nanoseconds(_ elapsed: Duration) -> Int64 {
    let components = elapsed.components
    return components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}

/// Client call metrics through swift-metrics: a duration histogram by service, method,
/// outcome and failure code, and calls in flight (``RPCMetricNames``). Any swift-metrics
/// backend receives them; `WeaverAdmin` serves them to Prometheus.
public struct MetricsClientMiddleware: ClientMiddleware {
  let handles: RPCMetricHandles

  /// Metrics made by `factory` (default: the one bootstrapped in `MetricsSystem`); with
  /// `statistics`, the calls are counted there too (as ``CallStatisticsClientMiddleware``
  /// would, for less than the two of them).
  public init(factory: (any MetricsFactory)? = nil, statistics: CallStatistics? = nil) {
    handles = RPCMetricHandles(
      durationName: RPCMetricNames.clientDuration, inFlightName: RPCMetricNames.clientInFlight, factory: factory ?? MetricsSystem.factory,
      statistics: statistics.map { ($0, .client) })
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

  /// Metrics made by `factory` (default: the one bootstrapped in `MetricsSystem`); with
  /// `statistics`, the calls are counted there too (as ``CallStatisticsServerMiddleware``
  /// would, for less than the two of them).
  public init(factory: (any MetricsFactory)? = nil, statistics: CallStatistics? = nil) {
    handles = RPCMetricHandles(
      durationName: RPCMetricNames.serverDuration, inFlightName: RPCMetricNames.serverInFlight, factory: factory ?? MetricsSystem.factory,
      statistics: statistics.map { ($0, .server) })
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await handles.measure(context) { try await next(request, context) }
  }
}
