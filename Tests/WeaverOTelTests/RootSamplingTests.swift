import Logging
import MetricsTestKit
import Testing
import Tracing
import WeaverCore
@testable import WeaverOTel
import WeaverTelemetry

/// New traces are sampled before swift-otel sees them (``RootSamplingTracer``): one that is
/// not sampled has no swift-otel span but still a trace that its calls pass on, unsampled;
/// everything with a parent is swift-otel's, following the parent.
@Suite struct RootSamplingTests {
  static func tracer(ratio: Double, environment: [String: String] = [:]) throws -> any Tracer {
    let options = WeaverOTelOptions(serviceName: "sampling-test", endpoint: "http://127.0.0.1:1", samplingRatio: ratio, metrics: false, logs: false)
    return try #require(try WeaverOTel.makeBackends(options, exportMetricsFactory: TestMetrics(), environment: environment).tracer)
  }

  static func traceparent(_ tracer: any Tracer, _ context: ServiceContext) -> String? {
    var headers: [String: String] = [:]
    tracer.inject(context, into: &headers, using: CallHeadersInjector())
    return headers["traceparent"]
  }

  @Test func anUnsampledNewTraceIsPassedOnWithoutASpan() throws {
    let tracer = try Self.tracer(ratio: 0)
    let root = tracer.startAnySpan("root", context: .topLevel, ofKind: .client)
    #expect(!root.isRecording)
    let sent = try #require(Self.traceparent(tracer, root.context))
    #expect(W3CTraceparent.saysNotSampled(sent), "\(sent)")
    // A span inside it is the same unsampled trace.
    let child = tracer.startAnySpan("child", context: root.context, ofKind: .client)
    #expect(!child.isRecording && Self.traceparent(tracer, child.context) == sent)
    // Another new trace has other ids.
    let other = tracer.startAnySpan("root", context: .topLevel, ofKind: .client)
    #expect(Self.traceparent(tracer, other.context) != sent)
    root.end()
  }

  @Test func aSampledNewTraceIsSwiftOTelsAndSoAreItsChildren() throws {
    let tracer = try Self.tracer(ratio: 1)
    let root = tracer.startAnySpan("root", context: .topLevel, ofKind: .client)
    #expect(root.isRecording)
    let sent = try #require(Self.traceparent(tracer, root.context))
    #expect(W3CTraceparent.isWellFormed(sent) && sent.hasSuffix("-01"), "\(sent)")
    let child = tracer.startAnySpan("child", context: root.context, ofKind: .client)
    #expect(child.isRecording)
    #expect(Self.traceparent(tracer, child.context)?.split(separator: "-")[1] == sent.split(separator: "-")[1], "the same trace")
    child.end()
    root.end()
  }

  /// With a parent from a caller, the caller decided, whatever the ratio says.
  @Test(arguments: [0.0, 1.0]) func anExtractedParentDecides(ratio: Double) throws {
    let tracer = try Self.tracer(ratio: ratio)
    for (flags, recorded) in [("01", true), ("00", false)] {
      var context = ServiceContext.topLevel
      tracer.extract(["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-\(flags)"], into: &context, using: CallHeadersExtractor())
      let span = tracer.startAnySpan("served", context: context, ofKind: .server)
      #expect(span.isRecording == recorded, "flags \(flags), ratio \(ratio)")
      #expect(Self.traceparent(tracer, span.context)?.contains("4bf92f3577b34da6a3ce929d0e0e4736") == true)
      span.end()
    }
  }

  @Test func theRatioIsTheShareOfNewTracesSampled() throws {
    let tracer = try Self.tracer(ratio: 0.25)
    let sampled = (0..<4000).count { _ in
      let span = tracer.startAnySpan("root", context: .topLevel, ofKind: .client)
      defer { span.end() }
      return span.isRecording
    }
    // 4000 fair draws at 25 %: 1000 ± 27 (one standard deviation); ± 200 is over 7.
    #expect((800...1200).contains(sampled), "\(sampled) of 4000")
  }

  @Test func logLinesInAnUnsampledNewTraceCarryItsIds() throws {
    let tracer = try Self.tracer(ratio: 0)
    let root = tracer.startAnySpan("root", context: .topLevel, ofKind: .client)
    let sent = try #require(Self.traceparent(tracer, root.context)).split(separator: "-").map(String.init)
    let metadata = ServiceContext.$current.withValue(root.context) { WeaverOTel.loggingMetadataProvider.get() }
    #expect(metadata["trace_id"] == .string(sent[1]) && metadata["span_id"] == .string(sent[2]))
  }

  @Test func logLinesInACallItsCallerDidNotSampleCarryTheCallersTrace() {
    var context = ServiceContext.topLevel
    context.passedTrace = .unsampled(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", tracestate: nil)
    let metadata = ServiceContext.$current.withValue(context) { WeaverOTel.loggingMetadataProvider.get() }
    #expect(metadata["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736" && metadata["span_id"] == "00f067aa0ba902b7")
  }

  @Test func aSamplerNamedByTheEnvironmentIsSwiftOTelsAlone() throws {
    #expect(try Self.tracer(ratio: 0.5) is RootSamplingTracer)
    #expect(!(try Self.tracer(ratio: 0.5, environment: ["OTEL_TRACES_SAMPLER": "always_on"]) is RootSamplingTracer))
  }

  @Test func anUnsampledTracesTraceparentIsWellFormedAndNamesItsIds() throws {
    let trace = try #require(NewTraceSampler(ratio: 0).unsampledNewTrace())
    #expect(W3CTraceparent.saysNotSampled(trace.traceparent), "\(trace.traceparent)")
    #expect(trace.traceparent == "00-\(trace.traceID)-\(trace.spanID)-00")
    #expect(trace.traceID.count == 32 && trace.spanID.count == 16)
  }
}

@Suite struct NewTraceSamplerTests {
  @Test(arguments: [0.0, 1e-9, 0.5, 0.9999999999999999, 1.0]) func everyRatioFromNothingToAllIsTaken(ratio: Double) {
    let sampler = NewTraceSampler(ratio: ratio)
    let unsampled = (0..<100).count { _ in sampler.unsampledNewTrace() != nil }
    if ratio == 0 { #expect(unsampled == 100) }
    if ratio == 1 { #expect(unsampled == 0) }
  }
}
