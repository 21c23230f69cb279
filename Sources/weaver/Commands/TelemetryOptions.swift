import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import WeaverAdmin
import WeaverCore
import WeaverGovernance
import WeaverOTel
import WeaverRPC
import WeaverTelemetry

extension WeaverOTelOptions.ExportProtocol: ExpressibleByArgument {}

/// What every serving command takes for its telemetry: OTLP export (off unless a collector
/// is named, here or by `OTEL_EXPORTER_OTLP_ENDPOINT`) and the admin endpoint (off unless
/// given a port).
struct TelemetryOptions: ParsableArguments {
  @Option(help: "Export traces, metrics and logs over OTLP to this collector (http://HOST:4318 for HTTP, http://HOST:4317 for gRPC). Default: OTEL_EXPORTER_OTLP_ENDPOINT; neither: no export.")
  var otlpEndpoint: String?

  @Option(help: "The OTLP protocol: grpc, http/protobuf or http/json. Default: OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf.")
  var otlpProtocol: WeaverOTelOptions.ExportProtocol?

  @Option(help: "The share of new traces to sample, 0 to 1 (a call follows its caller's decision).")
  var traceSampling: Double = 1.0

  @Option(help: "Serve /health, /ready, /metrics and /debug/snapshot on this port (0 picks one). Default: no admin endpoint.")
  var adminPort: Int?

  @Option(help: "The admin endpoint's address (loopback unless you say otherwise).")
  var adminHost: String = "127.0.0.1"

  func validate() throws {
    guard (0...1).contains(traceSampling) else { throw ValidationError("--trace-sampling must be between 0 and 1, not \(traceSampling)") }
    if let adminPort, !(0...65535).contains(adminPort) {
      throw ValidationError("--admin-port must be 1 to 65535 (or 0 for a free one), not \(adminPort)")
    }
  }

  /// Bootstraps the process's telemetry for `serviceName` (`OTEL_SERVICE_NAME` wins) and
  /// says what to run and which middleware to use. Call once, before making servers and
  /// clients.
  func start(serviceName: String, logLevel: Logger.Level) throws -> ProcessTelemetry {
    let environment = ProcessInfo.processInfo.environment
    let serviceName = environment["OTEL_SERVICE_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? serviceName
    let options = WeaverOTelOptions(
      serviceName: serviceName, endpoint: otlpEndpoint, exportProtocol: otlpProtocol, samplingRatio: traceSampling)
    let exporting = options.namesCollector(environment: environment)
    var telemetry = ProcessTelemetry(serviceName: serviceName, exporting: exporting)
    let registry = adminPort == nil ? nil : PrometheusCollectorRegistry()
    let prometheus = registry.map { PrometheusMetricsFactory(registry: $0) }
    if exporting {
      do {
        telemetry.services.append(try WeaverOTel.bootstrap(options, alsoMetrics: prometheus, consoleLogLevel: logLevel))
      } catch let error as WeaverOTelOptionsError {
        throw ValidationError(error.description)
      }
    } else {
      if let prometheus { MetricsSystem.bootstrap(prometheus) }
      LoggingSystem.bootstrap({ label, provider in
        var console = StreamLogHandler.standardError(label: label, metadataProvider: provider)
        console.logLevel = logLevel
        return console
      }, metadataProvider: .weaverCall)
    }
    telemetry.measuring = registry != nil || exporting
    if telemetry.measuring {
      // Made after the metrics system is bootstrapped: it reports through it.
      let transport = TransportMetricsReporter()
      telemetry.transport = transport
      telemetry.services.append(transport)
    }
    if let registry, let adminPort {
      let host = adminHost
      let sources = RuntimeSnapshotSources()
      telemetry.snapshot = sources
      let transport = telemetry.transport
      telemetry.services.append(
        AdminServer(
          configuration: .init(host: host, port: adminPort), registry: registry, snapshot: sources,
          beforeScrape: { transport?.report() },
          onListening: { address in DemoOutput.line("admin endpoint on http://\(host):\(address.port ?? adminPort)") }))
    }
    return telemetry
  }
}

/// What ``TelemetryOptions/start(serviceName:logLevel:)`` set up: services to run
/// before the process's own (they shut down after it), and the middleware to put first.
struct ProcessTelemetry {
  /// The process's name in traces and calls (`OTEL_SERVICE_NAME`, else the command's).
  var serviceName: String
  /// Whether spans go to a collector.
  var exporting: Bool
  /// Whether metrics go anywhere.
  var measuring = false
  var services: [any Service] = []
  /// Reports watched servers' and clients' transport figures as metrics (when measuring).
  var transport: TransportMetricsReporter?
  /// What the admin endpoint's `/debug/snapshot` is taken from (when it is on).
  var snapshot: RuntimeSnapshotSources?

  init(serviceName: String, exporting: Bool) {
    self.serviceName = serviceName
    self.exporting = exporting
  }

  var serverMiddlewares: [any ServerMiddleware] { serverMiddlewares(system: "apache_thrift") }

  var clientMiddlewares: [any ClientMiddleware] { clientMiddlewares(system: "apache_thrift") }

  /// The server middleware for calls of `system` (`rpc.system`: apache_thrift, grpc, http).
  func serverMiddlewares(system: String) -> [any ServerMiddleware] {
    (exporting ? [TracingServerMiddleware(system: system)] : []) + (measuring ? [MetricsServerMiddleware(statistics: snapshot?.calls)] : [])
  }

  /// The client middleware for calls of `system`.
  func clientMiddlewares(system: String) -> [any ClientMiddleware] {
    (exporting ? [TracingClientMiddleware(system: system)] : []) + (measuring ? [MetricsClientMiddleware(statistics: snapshot?.calls)] : [])
  }

  /// Puts `server`'s transport figures in the metrics and the snapshot, as `name`.
  func watch(_ server: ThriftServer, as name: String) {
    transport?.watch(server, as: name)
    snapshot?.watch(server, as: name)
  }

  /// Puts `client`'s transport figures in the metrics and the snapshot, as `name`.
  func watch(_ client: ThriftClient, as name: String) {
    transport?.watch(client, as: name)
    snapshot?.watch(client, as: name)
  }

  /// Puts `rules`' version in the snapshot.
  func watch(_ rules: RuleStore) {
    snapshot?.watch(rules)
  }

  /// Runs `body` with the telemetry services running, then shuts them down gracefully
  /// (which sends what is queued): for commands that end on their own (a client).
  func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    guard !services.isEmpty else { return try await body() }
    let group = ServiceGroup(
      configuration: .init(services: services.map { .init(service: $0) }, logger: Logger(label: "weaver.telemetry")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      do {
        let result = try await body()
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
      } catch {
        await group.triggerGracefulShutdown()
        try? await tasks.waitForAll()
        throw error
      }
    }
  }
}
