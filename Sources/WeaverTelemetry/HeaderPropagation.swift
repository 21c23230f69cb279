import Instrumentation

/// Writes a trace context into a call's plain headers (``WeaverCore/CallContext/headers``):
/// W3C `traceparent`, `tracestate` and `baggage` with an OpenTelemetry tracer; whatever keys
/// the instrument uses otherwise.
public struct CallHeadersInjector: Injector {
  public init() {}

  public func inject(_ value: String, forKey key: String, into headers: inout [String: String]) {
    headers[key] = value
  }
}

/// Reads a trace context out of a call's received plain headers.
public struct CallHeadersExtractor: Extractor {
  public init() {}

  public func extract(key: String, from headers: [String: String]) -> String? {
    headers[key]
  }
}
