import Tracing

/// Wraps a command in a client span with the OpenTelemetry database attributes
/// (`db.system.name`, `db.operation.name`, `db.namespace`, `server.address`, `server.port`);
/// nothing at all when tracing is off.
struct RedisTracing: Sendable {
  /// The tracer spans go to; nil when tracing is off or the tracer would drop them all.
  let tracer: (any Tracer)?
  let database: Int

  /// Traces into `tracer`, or the process's tracer as bootstrapped when the client is made
  /// (`InstrumentationSystem`; bootstrap it first, as for servers and middleware).
  init(enabled: Bool, database: Int, tracer: (any Tracer)?) {
    let chosen = enabled ? tracer ?? InstrumentationSystem.tracer : nil
    self.tracer = chosen is NoOpTracer ? nil : chosen
    self.database = database
  }

  func withSpan<T>(
    _ operation: String, node: RedisNodeAddress?, _ body: (any Tracing.Span) async throws(RedisError) -> T
  ) async throws(RedisError) -> T {
    guard let tracer else { return try await body(NoOpTracer.NoOpSpan(context: .topLevel)) }
    let span = tracer.startAnySpan(operation, ofKind: .client)
    defer { span.end() }
    span.attributes["db.system.name"] = "redis"
    span.attributes["db.operation.name"] = operation
    span.attributes["db.namespace"] = String(database)
    if let node {
      span.attributes["server.address"] = node.host
      span.attributes["server.port"] = node.port
    }
    do {
      return try await body(span)
    } catch {
      span.recordError(error)
      span.setStatus(SpanStatus(code: .error, message: error.description))
      span.attributes["error.type"] = error.kind
      if case .server(let reply) = error { span.attributes["db.response.status_code"] = reply.code }
      throw error
    }
  }
}
