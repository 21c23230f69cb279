import Synchronization
import WeaverCore

/// Calls in flight by method and their recent latency (the last one to two windows), on
/// either side: the figures a runtime snapshot shows (`/debug/snapshot`: calls in flight,
/// top methods by p99). Fed by ``CallStatisticsServerMiddleware`` and
/// ``CallStatisticsClientMiddleware``; series are bounded by the IDL's methods.
public final class CallStatistics: Sendable {
  public enum Side: String, Sendable, Codable {
    case client, server
  }

  /// One method's figures on one side.
  public struct Figures: Sendable, Codable, Equatable {
    public var side: Side
    public var service: String
    public var method: String
    public var inFlight: Int
    /// Calls that ended in the recent window.
    public var calls: Int
    /// Their median and 99th percentile, in milliseconds (nil: none ended).
    public var p50Milliseconds: Double?
    public var p99Milliseconds: Double?
  }

  struct Key: Hashable {
    var side: Side
    var service: String
    var method: String
  }

  struct Series {
    var inFlight = 0
    var current = LatencyHistogram()
    var previous = LatencyHistogram()
    var windowStart: ContinuousClock.Instant
  }

  /// One method's figures on one side, under their own lock: calls to different methods
  /// never wait for each other, and a middleware looks its method up once per call.
  final class MethodCalls: Sendable {
    let series: Mutex<Series>

    init(windowStart: ContinuousClock.Instant) {
      series = Mutex(Series(windowStart: windowStart))
    }
  }

  private let methods = Mutex<[Key: MethodCalls]>([:])
  private let window: Duration
  private let now: @Sendable () -> ContinuousClock.Instant

  /// Latency over the last `window` to two (default 30 s); `now` is the clock (tests set it).
  public init(window: Duration = .seconds(30), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
    self.window = window
    self.now = now
  }

  /// The figures of `context`'s method on `side`, made the first time it is asked for.
  func calls(_ side: Side, _ context: CallContext) -> MethodCalls {
    methods.value(for: Key(side: side, service: context.service, method: context.method)) { MethodCalls(windowStart: now()) }
  }

  func started(_ calls: MethodCalls) {
    calls.series.withLock { $0.inFlight += 1 }
  }

  func finished(_ calls: MethodCalls, after duration: Duration) {
    let now = self.now()
    let window = self.window
    calls.series.withLock { $0.finish(after: duration, at: now, window: window) }
  }

  /// Every method's figures, busiest (by p99) first.
  public var figures: [Figures] {
    let now = self.now()
    let window = self.window
    return methods.withLock { $0 }.map { key, calls in
      let value = calls.series.withLock { series in
        series.rotate(at: now, window: window)
        return series
      }
      var recent = value.current
      recent.add(value.previous)
      return Figures(
        side: key.side, service: key.service, method: key.method, inFlight: value.inFlight, calls: recent.total,
        p50Milliseconds: recent.quantile(0.5).map { Double($0) / 1000 }, p99Milliseconds: recent.quantile(0.99).map { Double($0) / 1000 })
    }.sorted { ($0.p99Milliseconds ?? -1, $0.calls) > ($1.p99Milliseconds ?? -1, $1.calls) }
  }

  /// Times `body` as a call of `context`'s method on `side`.
  func measure<Response>(_ side: Side, _ context: CallContext, _ body: () async throws -> Response) async rethrows -> Response {
    let calls = calls(side, context)
    let start = ContinuousClock.now
    started(calls)
    defer { finished(calls, after: start.duration(to: .now)) }
    return try await body()
  }
}

extension CallStatistics.Series {
  mutating func finish(after duration: Duration, at now: ContinuousClock.Instant, window: Duration) {
    inFlight -= 1
    rotate(at: now, window: window)
    current.record(duration)
  }

  /// Starts a new window when the current one is over (the current becomes the previous;
  /// after two windows of silence both are empty).
  mutating func rotate(at now: ContinuousClock.Instant, window: Duration) {
    let elapsed = windowStart.duration(to: now)
    guard elapsed >= window else { return }
    previous = elapsed >= window * 2 ? LatencyHistogram() : current
    current = LatencyHistogram()
    windowStart = now
  }
}

/// Feeds a ``CallStatistics`` with the calls a server serves.
public struct CallStatisticsServerMiddleware: ServerMiddleware {
  let statistics: CallStatistics

  public init(_ statistics: CallStatistics) {
    self.statistics = statistics
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await statistics.measure(.server, context) { try await next(request, context) }
  }
}

/// Feeds a ``CallStatistics`` with the calls a client makes.
public struct CallStatisticsClientMiddleware: ClientMiddleware {
  let statistics: CallStatistics

  public init(_ statistics: CallStatistics) {
    self.statistics = statistics
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    try await statistics.measure(.client, context) { try await next(request, context) }
  }
}
