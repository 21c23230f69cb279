import Tracing
import WeaverCore

/// A client span per call (kind `client`, named `service/method`, attributed by the
/// OpenTelemetry RPC conventions), child of the span current where the call is made — the
/// server span of the call being served, when a handler makes it — with its trace context
/// injected into the call's headers (W3C `traceparent`, `tracestate`, `baggage` with an
/// OpenTelemetry tracer), so the server's span continues the trace. Put it first in a
/// client's middlewares: retries and hedges run inside its span.
///
/// ```swift
/// var configuration = ThriftClientConfiguration(middlewares: [TracingClientMiddleware()])
/// ```
public struct TracingClientMiddleware: ClientMiddleware {
  let tracer: any Tracer
  let system: String

  /// Spans from `tracer` (default: the one bootstrapped in `InstrumentationSystem`).
  public init(tracer: (any Tracer)? = nil, system: String = "apache_thrift") {
    self.tracer = tracer ?? InstrumentationSystem.tracer
    self.system = system
  }

  public func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    let parent = ServiceContext.current ?? .topLevel
    var context = context
    if case .unsampled(let traceparent, let tracestate) = parent.passedTrace {
      // Inside a trace that is not sampled (a caller's, see TracingServerMiddleware, or a
      // new one a root sampler declined): no span, the trace context goes on as it is.
      context.headers[W3CTraceparent.key] = traceparent
      if let tracestate { context.headers[W3CTraceparent.stateKey] = tracestate }
      return try await next(request, context)
    }
    let span = tracer.startAnySpan(RPCSpanAttributes.spanName(service: context.service, method: context.method), context: parent, ofKind: .client)
    tracer.inject(span.context, into: &context.headers, using: CallHeadersInjector())
    // Governance runs inside: its retries, hedges and refusals become this span's events.
    return try await SpanOutcome.run(in: span, system: system, context: context, notesPeer: true, bindsContext: false) {
      try await next(request, context)
    }
  }
}
