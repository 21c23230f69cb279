import Synchronization
import Tracing
import WeaverTelemetry

/// Decides which new traces are sampled before swift-otel sees them, so a trace that is not
/// sampled costs no swift-otel span.
///
/// swift-otel makes every span it is asked for, sampled or not: three `getrandom` system
/// calls for its ids, a context, a no-op span. On a service that starts most of its traces
/// (a gateway, a load generator) with 1 % sampling, that was most of what tracing cost
/// (`Benchmarks/run-telemetry-bench`). This tracer flips the ratio's coin itself and, for
/// a trace it does not sample, makes its ids from a cheap generator and starts no swift-otel
/// span at all: the context it returns carries the trace (W3C `traceparent` with the
/// sampled flag clear goes out on every call), so the next hops follow the decision.
/// Everything else — sampled new traces, spans with a parent, extraction — goes to the
/// inner tracer, whose sampler must then be parent-based and always on for new traces.
struct RootSamplingTracer: Tracer {
  let inner: any Tracer
  let sampler: NewTraceSampler

  init(inner: any Tracer, ratio: Double) {
    self.inner = inner
    self.sampler = NewTraceSampler(ratio: ratio)
  }

  func startSpan<Instant: TracerInstant>(
    _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind, at instant: @autoclosure () -> Instant,
    function: String, file fileID: String, line: UInt
  ) -> RootSampledSpan {
    let parent = context()
    switch parent.passedTrace {
    case .unsampled:
      // Inside a trace that is not sampled: the span is the trace's, unrecorded.
      return RootSampledSpan(inner: nil, context: parent)
    case .none:
      if let trace = sampler.unsampledNewTrace() {
        var unsampled = parent
        unsampled.passedTrace = .unsampled(traceparent: trace.traceparent, tracestate: nil)
        return RootSampledSpan(inner: nil, context: unsampled)
      }
    case .continues:
      break
    }
    let span: any Tracing.Span = inner.startSpan(operationName, context: parent, ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    var spanContext = span.context
    spanContext.passedTrace = .continues
    return RootSampledSpan(inner: span, context: spanContext)
  }

  @available(*, deprecated)
  func forceFlush() {
    inner.forceFlush()
  }

  func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
  where Extract.Carrier == Carrier {
    inner.extract(carrier, into: &context, using: extractor)
    // A caller's well-formed W3C context makes this a trace that goes on, sampled or not:
    // the inner tracer's parent-based sampler follows it.
    if let traceparent = extractor.extract(key: W3CTraceparent.key, from: carrier), W3CTraceparent.isWellFormed(traceparent) {
      context.passedTrace = .continues
    }
  }

  func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
  where Inject.Carrier == Carrier {
    if case .unsampled(let traceparent, let tracestate) = context.passedTrace {
      injector.inject(traceparent, forKey: W3CTraceparent.key, into: &carrier)
      if let tracestate { injector.inject(tracestate, forKey: W3CTraceparent.stateKey, into: &carrier) }
    } else {
      inner.inject(context, into: &carrier, using: injector)
    }
  }
}

/// A span of ``RootSamplingTracer``: the inner tracer's, or none at all (a trace that is
/// not sampled), then recording nothing.
struct RootSampledSpan: Span {
  let inner: (any Tracing.Span)?
  let context: ServiceContext

  var operationName: String {
    get { inner?.operationName ?? "" }
    nonmutating set { inner?.operationName = newValue }
  }

  var attributes: SpanAttributes {
    get { inner?.attributes ?? [:] }
    nonmutating set { inner?.attributes = newValue }
  }

  var isRecording: Bool { inner?.isRecording ?? false }

  func setStatus(_ status: SpanStatus) { inner?.setStatus(status) }
  func addEvent(_ event: SpanEvent) { inner?.addEvent(event) }
  func addLink(_ link: SpanLink) { inner?.addLink(link) }

  func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
    inner?.recordError(error, attributes: attributes, at: instant())
  }

  func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
    inner?.end(at: instant())
  }
}

/// A new trace that is not sampled: the `traceparent` every call in it sends
/// (`00-<trace id>-<span id>-00`), its ids read from there when a log line asks.
struct UnsampledTrace: Sendable {
  var traceparent: String

  var traceID: String { String(traceparent.utf8.dropFirst(3).prefix(32))! }
  var spanID: String { String(traceparent.utf8.dropFirst(36).prefix(16))! }
}

/// Flips the sampling ratio's coin for new traces, and names those not sampled, from a
/// SplitMix64 sequence seeded once from the system's generator: distinct ids without a
/// system call each (W3C asks trace ids to be unique, not unpredictable, unless the
/// `random` flag is set, which these do not set).
final class NewTraceSampler: Sendable {
  private let threshold: UInt64
  private let alwaysSamples: Bool
  private let state: Atomic<UInt64>

  init(ratio: Double) {
    alwaysSamples = ratio >= 1
    // A new trace is sampled when a draw is under ratio × 2⁶⁴ (which a Double near 1 may
    // round up to 2⁶⁴ itself: UInt64 cannot hold that).
    let scaled = ratio * 18_446_744_073_709_551_616.0
    threshold = ratio <= 0 ? 0 : scaled >= 18_446_744_073_709_551_616.0 ? .max : UInt64(scaled)
    state = Atomic(UInt64.random(in: .min ... .max))
  }

  /// A new trace's ids when the coin says not to sample it; nil when it is sampled.
  func unsampledNewTrace() -> UnsampledTrace? {
    if alwaysSamples { return nil }
    if next() < threshold { return nil }
    let (traceHigh, traceLow, spanID) = (next(), next(), next())
    // Written in one go: version, trace id, span id, flags (not sampled).
    let traceparent = String(unsafeUninitializedCapacity: 55) { buffer in
      let (zero, dash) = (UInt8(ascii: "0"), UInt8(ascii: "-"))
      (buffer[0], buffer[1], buffer[2], buffer[35], buffer[52], buffer[53], buffer[54]) = (zero, zero, dash, dash, dash, zero, zero)
      Self.write(traceHigh, into: buffer, at: 3)
      Self.write(traceLow, into: buffer, at: 19)
      Self.write(spanID, into: buffer, at: 36)
      return 55
    }
    return UnsampledTrace(traceparent: traceparent)
  }

  private func next() -> UInt64 {
    var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Writes `word` as 16 lower-case hex digits into `buffer` from `start`.
  static func write(_ word: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
    for nibble in 0..<16 {
      let value = UInt8(truncatingIfNeeded: word >> UInt64(60 - nibble * 4)) & 0xF
      buffer[start + nibble] = value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
  }
}

extension ServiceContext {
  /// The trace, not sampled, this context is in (a caller's or a new one), for log lines.
  var unsampledTrace: UnsampledTrace? {
    if case .unsampled(let traceparent, _) = passedTrace, W3CTraceparent.isWellFormed(traceparent) {
      return UnsampledTrace(traceparent: traceparent)
    }
    return nil
  }
}
