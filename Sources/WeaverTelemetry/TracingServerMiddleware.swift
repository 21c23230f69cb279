import Tracing
import WeaverCore

/// A server span per call (kind `server`, named `service/method`), continuing the trace
/// whose context the call's headers carry (a new trace when they carry none: a Framed
/// client, an Apache peer that ignores the headers). The handler runs inside it, so calls
/// it makes are its children. Put it first in a server's middlewares.
///
/// ```swift
/// let configuration = ThriftServerConfiguration(port: 9090, middlewares: [TracingServerMiddleware()])
/// ```
public struct TracingServerMiddleware: ServerMiddleware {
  let tracer: any Tracer
  let system: String
  /// The metadata key of the release tag, noted on the span when a call carries one.
  let releaseTagKey: String

  /// Whether a call whose W3C `traceparent` says "not sampled" is served without a span.
  let followsUnsampledCallers: Bool

  /// Spans from `tracer` (default: the one bootstrapped in `InstrumentationSystem`).
  ///
  /// With `followsUnsampledCallers` (the default), a call whose W3C `traceparent` says its
  /// trace is not sampled gets no span at all, and the calls its handler makes carry that
  /// context on: what a parent-based sampler (OpenTelemetry's default, and WeaverOTel's)
  /// would decide anyway, without paying for a span nobody records. Turn it off for a
  /// tracer that records spans whatever the caller decided.
  public init(
    tracer: (any Tracer)? = nil, system: String = "apache_thrift", releaseTagKey: String = "release", followsUnsampledCallers: Bool = true
  ) {
    self.tracer = tracer ?? InstrumentationSystem.tracer
    self.system = system
    self.releaseTagKey = releaseTagKey
    self.followsUnsampledCallers = followsUnsampledCallers
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    // The current context holds this call's CallContext; the caller's trace joins it.
    var parent = ServiceContext.current ?? .topLevel
    if followsUnsampledCallers, let traceparent = context.headers[W3CTraceparent.key], W3CTraceparent.saysNotSampled(traceparent) {
      // The caller decided: no span (an unsampled span would only cost), not even the
      // tracer's extraction; the handler's calls pass the caller's context on as it came.
      parent.passedTrace = .unsampled(traceparent: traceparent, tracestate: context.headers[W3CTraceparent.stateKey])
      return try await ServiceContext.withValue(parent) { try await next(request, context) }
    }
    // No headers, nothing to extract (a plain client, Framed): spare the tracer the look.
    if !context.headers.isEmpty { tracer.extract(context.headers, into: &parent, using: CallHeadersExtractor()) }
    let span = tracer.startAnySpan(RPCSpanAttributes.spanName(service: context.service, method: context.method), context: parent, ofKind: .server)
    if let caller = context.caller { span.attributes[RPCSpanAttributes.callerService] = caller }
    if let tag = context.metadata.persistent[releaseTagKey] { span.attributes[RPCSpanAttributes.releaseTag] = tag }
    return try await SpanOutcome.run(in: span, system: system, context: context) { try await next(request, context) }
  }
}
