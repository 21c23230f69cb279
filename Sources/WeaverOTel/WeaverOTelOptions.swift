/// What `WeaverOTel.bootstrap` exports, where and how. Each field is a default: the
/// standard OpenTelemetry variables (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
/// `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*`, …) override
/// them, as in every OpenTelemetry SDK, so operators tune a deployed service without a build.
public struct WeaverOTelOptions: Sendable {
  /// How telemetry travels to the collector.
  public enum ExportProtocol: String, Sendable, CaseIterable {
    /// OTLP/gRPC (default port 4317).
    case grpc
    /// OTLP/HTTP with protobuf bodies (default port 4318; the OpenTelemetry default).
    case httpProtobuf = "http/protobuf"
    /// OTLP/HTTP with JSON bodies.
    case httpJSON = "http/json"
  }

  /// The resource's `service.name`.
  public var serviceName: String
  /// The collector's base address (`http://host:4318` for HTTP, `http://host:4317` for
  /// gRPC); signal paths (`/v1/traces`, …) are added for HTTP. `nil`: the variables', else
  /// the protocol's standard local address.
  public var endpoint: String?
  /// `nil`: `OTEL_EXPORTER_OTLP_PROTOCOL`, else OTLP/HTTP protobuf.
  public var exportProtocol: ExportProtocol?
  /// The share of new traces sampled, 0…1 (parent-based: a call joins its caller's decision).
  public var samplingRatio: Double
  /// Which signals to export.
  public var traces: Bool
  public var metrics: Bool
  public var logs: Bool
  /// Spans (and log records) held for export at most; past it they are dropped and counted
  /// in `weaver_otel_dropped_total`. A call never waits for the exporter.
  public var maxQueueSize: Int
  /// How often queued spans and log records are sent.
  public var scheduleDelay: Duration
  /// How long one export may take, retries included, before its batch counts as failed.
  public var exportTimeout: Duration
  /// How often metrics are sent.
  public var metricExportInterval: Duration
  /// More resource attributes (`deployment.environment`, `service.version`, …).
  public var resourceAttributes: [String: String]

  public init(
    serviceName: String,
    endpoint: String? = nil,
    exportProtocol: ExportProtocol? = nil,
    samplingRatio: Double = 1.0,
    traces: Bool = true,
    metrics: Bool = true,
    logs: Bool = true,
    maxQueueSize: Int = 2048,
    scheduleDelay: Duration = .seconds(5),
    exportTimeout: Duration = .seconds(10),
    metricExportInterval: Duration = .seconds(60),
    resourceAttributes: [String: String] = [:]
  ) {
    self.serviceName = serviceName
    self.endpoint = endpoint
    self.exportProtocol = exportProtocol
    self.samplingRatio = samplingRatio
    self.traces = traces
    self.metrics = metrics
    self.logs = logs
    self.maxQueueSize = maxQueueSize
    self.scheduleDelay = scheduleDelay
    self.exportTimeout = exportTimeout
    self.metricExportInterval = metricExportInterval
    self.resourceAttributes = resourceAttributes
  }

  /// Whether these options, or the standard variables in `environment`, name a collector:
  /// the condition on which a process exports at all.
  public func namesCollector(environment: [String: String]) -> Bool {
    endpoint != nil || Self.collectorVariables.contains { environment[$0]?.isEmpty == false }
  }

  /// The variables that name a collector.
  static let collectorVariables = [
    "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
  ]
}

/// Options that cannot be used, found before anything is bootstrapped.
public struct WeaverOTelOptionsError: Error, CustomStringConvertible, Equatable {
  public var description: String
}
