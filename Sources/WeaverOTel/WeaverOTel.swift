import CoreMetrics
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing
import WeaverTelemetry

/// One call to export a process's traces, metrics and logs over OTLP with swift-otel:
///
/// ```swift
/// let telemetry = try WeaverOTel.bootstrap(WeaverOTelOptions(serviceName: "feed"))
/// try await ServiceGroup(services: [telemetry, server], logger: logger).run()
/// ```
///
/// Traces go to `InstrumentationSystem` (so `TracingClientMiddleware` and
/// `TracingServerMiddleware` made afterwards use them; W3C `traceparent`/`tracestate` on the
/// wire), metrics to `MetricsSystem` (beside a Prometheus registry, if you pass its factory),
/// logs to `LoggingSystem` (beside standard error), each log line carrying `trace_id`,
/// `span_id` and the call's `rpc.service`/`rpc.method`. Export runs in the background:
/// spans queue (bounded) and a call never waits; when the collector is down, the exporter
/// retries with jittered backoff and what cannot be kept is dropped and counted
/// (`weaver_otel_dropped_total`). Run the returned service first in your group, so it
/// shuts down last and sends what your services' shutdown produced.
public enum WeaverOTel {
  /// `trace_id`, `span_id` and `trace_flags` of the current span (swift-otel's provider),
  /// with the current call's `rpc.service` and `rpc.method`.
  public static let loggingMetadataProvider = Logger.MetadataProvider {
    var trace = traceMetadataProvider.get()
    if trace.isEmpty, let unsampled = ServiceContext.current?.unsampledTrace {
      // A new trace the root sampler did not sample has no swift-otel span: its own ids.
      trace = ["trace_id": .string(unsampled.traceID), "span_id": .string(unsampled.spanID), "trace_flags": "00"]
    }
    return trace.merging(Logger.MetadataProvider.weaverCall.get()) { trace, _ in trace }
  }

  private static let traceMetadataProvider = OTel.makeLoggingMetadataProvider()

  /// The telemetry backends of ``makeBackends(_:exportMetricsFactory:)``, bootstrapped nowhere.
  public struct Backends: Sendable {
    /// The tracer, when traces are on.
    public var tracer: (any Tracer)?
    /// The metrics factory, when metrics are on.
    public var metricsFactory: (any MetricsFactory)?
    /// The log handler factory, when logs are on.
    public var logHandlerFactory: (@Sendable (String) -> any LogHandler)?
    /// Runs the exporters; shutting it down gracefully sends what is queued.
    public var service: any Service
  }

  /// Makes the backends `options` ask for without touching the process-wide systems (tests
  /// and processes that compose their own use this). The standard `OTEL_*` variables
  /// override `options`. Losses are counted through `exportMetricsFactory` (default:
  /// `MetricsSystem`'s).
  ///
  /// New traces are sampled by a ``RootSamplingTracer`` in front of swift-otel (so one not
  /// sampled costs no swift-otel span), unless `OTEL_TRACES_SAMPLER` names a sampler: then
  /// swift-otel's does all the sampling, as the variable says.
  public static func makeBackends(
    _ options: WeaverOTelOptions, exportMetricsFactory: (any MetricsFactory)? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Backends {
    let counters = ExportHealthCounters(factory: exportMetricsFactory)
    let samplesNewTraces = environment["OTEL_TRACES_SAMPLER"].map(\.isEmpty) ?? true
    let configuration = try configuration(for: options, counters: counters, samplesNewTraces: samplesNewTraces)
    var backends = Backends(service: NothingToRun())
    var services: [any Service] = []
    if options.traces {
      let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
      backends.tracer = samplesNewTraces ? RootSamplingTracer(inner: tracer, ratio: options.samplingRatio) : tracer
      services.append(service)
    }
    if options.metrics {
      let (factory, service) = try OTel.makeMetricsBackend(configuration: configuration)
      backends.metricsFactory = factory
      services.append(service)
    }
    if options.logs {
      let (factory, service) = try OTel.makeLoggingBackend(configuration: configuration)
      backends.logHandlerFactory = factory
      services.append(service)
    }
    if !services.isEmpty {
      backends.service = ServiceGroup(
        services: services.map { ShutdownOrderTolerantService(inner: $0) }, logger: Logger(label: "weaver.otel", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
    return backends
  }

  /// Bootstraps the process's tracing, metrics and logging systems with the backends
  /// `options` ask for and returns the service that exports. Metrics also go to
  /// `alsoMetrics` (a Prometheus registry's factory, for the admin endpoint); logs also to
  /// standard error at `consoleLogLevel`. Call it once per process, before making servers,
  /// clients and middleware.
  public static func bootstrap(
    _ options: WeaverOTelOptions, alsoMetrics: (any MetricsFactory)? = nil, consoleLogLevel: Logger.Level = .info
  ) throws -> any Service {
    let backends = try makeBackends(options)
    if let tracer = backends.tracer {
      InstrumentationSystem.bootstrap(tracer)
    }
    let metricsFactories = [alsoMetrics, backends.metricsFactory].compactMap { $0 }
    if metricsFactories.count == 1, let only = metricsFactories.first {
      MetricsSystem.bootstrap(only)
    } else if metricsFactories.count > 1 {
      MetricsSystem.bootstrap(MultiplexMetricsHandler(factories: metricsFactories))
    }
    let otelLogs = backends.logHandlerFactory
    LoggingSystem.bootstrap(
      { label, provider in
        var console = StreamLogHandler.standardError(label: label, metadataProvider: provider)
        console.logLevel = consoleLogLevel
        guard let otelLogs else { return console }
        return MultiplexLogHandler([console, otelLogs(label)])
      }, metadataProvider: loggingMetadataProvider)
    return backends.service
  }

  /// swift-otel's configuration for `options`, its diagnostics counted by `counters`; with
  /// `samplesNewTraces`, a ``RootSamplingTracer`` samples new traces before swift-otel, whose
  /// sampler then follows parents and takes every new trace it is given.
  static func configuration(for options: WeaverOTelOptions, counters: ExportHealthCounters, samplesNewTraces: Bool) throws -> OTel.Configuration {
    guard (0...1).contains(options.samplingRatio), let ratioSampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration
      .parentBasedTraceIDRatio(ratio: options.samplingRatio)
    else {
      throw WeaverOTelOptionsError(description: "sampling ratio \(options.samplingRatio) is not between 0 and 1")
    }
    let sampler = samplesNewTraces ? .parentBasedAlwaysOn : ratioSampler
    guard options.maxQueueSize > 0 else {
      throw WeaverOTelOptionsError(description: "the export queue must hold at least one span (max queue size \(options.maxQueueSize))")
    }
    if let endpoint = options.endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
      throw WeaverOTelOptionsError(description: "the OTLP endpoint \(endpoint) must start with http:// or https://")
    }
    var configuration = OTel.Configuration.default
    configuration.serviceName = options.serviceName
    configuration.resourceAttributes = options.resourceAttributes
    configuration.diagnosticLogger = .custom(
      Logger(label: "swift-otel") { label in
        ExportHealthLogHandler(printer: StreamLogHandler.standardError(label: label), counters: counters)
      })
    configuration.diagnosticLogLevel = .warning
    configuration.traces.enabled = options.traces
    configuration.traces.sampler = sampler
    configuration.traces.batchSpanProcessor.maxQueueSize = options.maxQueueSize
    configuration.traces.batchSpanProcessor.maxExportBatchSize = min(512, options.maxQueueSize)
    configuration.traces.batchSpanProcessor.scheduleDelay = options.scheduleDelay
    configuration.traces.batchSpanProcessor.exportTimeout = options.exportTimeout
    configuration.metrics.enabled = options.metrics
    configuration.metrics.exportInterval = options.metricExportInterval
    configuration.metrics.exportTimeout = options.exportTimeout
    configuration.logs.enabled = options.logs
    configuration.logs.batchLogRecordProcessor.maxQueueSize = options.maxQueueSize
    configuration.logs.batchLogRecordProcessor.maxExportBatchSize = min(512, options.maxQueueSize)
    configuration.logs.batchLogRecordProcessor.scheduleDelay = options.scheduleDelay
    configuration.logs.batchLogRecordProcessor.exportTimeout = options.exportTimeout
    if let exportProtocol = options.exportProtocol {
      let value: OTel.Configuration.OTLPExporterConfiguration.`Protocol` =
        switch exportProtocol {
        case .grpc: .grpc
        case .httpProtobuf: .httpProtobuf
        case .httpJSON: .httpJSON
        }
      configuration.traces.otlpExporter.protocol = value
      configuration.metrics.otlpExporter.protocol = value
      configuration.logs.otlpExporter.protocol = value
    }
    if let endpoint = options.endpoint {
      // swift-otel takes an explicitly set HTTP endpoint as the whole URL: add the signal paths.
      let grpc = options.exportProtocol == .grpc
      let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
      configuration.traces.otlpExporter.endpoint = grpc ? base : base + "/v1/traces"
      configuration.metrics.otlpExporter.endpoint = grpc ? base : base + "/v1/metrics"
      configuration.logs.otlpExporter.endpoint = grpc ? base : base + "/v1/logs"
    }
    for signal in [\OTel.Configuration.traces.otlpExporter, \.metrics.otlpExporter, \.logs.otlpExporter] {
      configuration[keyPath: signal].timeout = options.exportTimeout
    }
    return configuration
  }
}

/// The service of a bootstrap with nothing to export: waits for shutdown.
private struct NothingToRun: Service {
  func run() async throws {
    try await gracefulShutdown()
  }
}
