import Foundation
import Logging
import MetricsTestKit
import ServiceLifecycle
import Synchronization
import Testing
import Tracing
import WeaverBench
import WeaverCore
import WeaverOTel
import WeaverRPC
import WeaverTelemetry
import WeaverTestSupport

/// WeaverOTel's backends (swift-otel) export the RPC spans, metrics and logs to a real OTLP
/// receiver over each protocol; a stalled or absent collector neither slows nor fails a
/// call, and what it costs is counted. Backends are made per test, never bootstrapped: the
/// process-wide systems stay as they are.
@Suite(.timeLimit(.minutes(3))) struct OTLPExportTests {
  /// Options for tests: sends quickly, gives up on an export quickly.
  static func options(_ receiver: OTLPReceiver?, _ exportProtocol: WeaverOTelOptions.ExportProtocol, endpoint: String? = nil) -> WeaverOTelOptions {
    let base = endpoint ?? (exportProtocol == .grpc ? receiver?.grpcEndpoint : receiver?.httpEndpoint)
    return WeaverOTelOptions(
      serviceName: "otel-test-\(exportProtocol.rawValue)", endpoint: base, exportProtocol: exportProtocol, metrics: false, logs: false,
      scheduleDelay: .milliseconds(100), exportTimeout: .seconds(2), metricExportInterval: .milliseconds(200))
  }

  /// Runs `body` with the backends' service running; shuts it down gracefully (which sends
  /// what is queued) when `body` ends.
  static func withBackends<T: Sendable>(_ backends: WeaverOTel.Backends, _ body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: [backends.service], logger: Logger(label: "test")))
    let running = Task { try await group.run() }
    do {
      let result = try await body()
      await group.triggerGracefulShutdown()
      try await running.value
      return result
    } catch {
      await group.triggerGracefulShutdown()
      _ = try? await running.value
      throw error
    }
  }

  /// An echo server and a client, both traced by `tracer`; `body` gets the client.
  static func withTracedEcho<T: Sendable>(
    tracer: any Tracer, serverMiddlewares: [any ServerMiddleware] = [], rpcTimeout: Duration = .seconds(30),
    _ body: @Sendable (EchoService.Client<ThriftClient>) async throws -> T
  ) async throws -> T {
    let server = ThriftServer(
      serving: [EchoService.service(EchoBenchService())],
      configuration: ThriftServerConfiguration(middlewares: [TracingServerMiddleware(tracer: tracer)] + serverMiddlewares))
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      defer { group.cancelAll() }
      let port = try await server.localAddress.port!
      let client = try ThriftClient(
        addresses: ["127.0.0.1:\(port)"],
        configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, rpcTimeout: rpcTimeout, middlewares: [TracingClientMiddleware(tracer: tracer)]))
      defer { client.close() }
      let result = try await body(EchoService.Client(channel: client))
      group.cancelAll()
      return result
    }
  }

  @Test(arguments: WeaverOTelOptions.ExportProtocol.allCases)
  func aCallsTwoSpansArriveLinked(over exportProtocol: WeaverOTelOptions.ExportProtocol) async throws {
    try await OTLPReceiver.with { receiver in
      let backends = try WeaverOTel.makeBackends(Self.options(receiver, exportProtocol), exportMetricsFactory: TestMetrics())
      let tracer = try #require(backends.tracer)
      try await Self.withBackends(backends) {
        try await Self.withTracedEcho(tracer: tracer) { echo in
          _ = try await echo.echo(req: EchoRequest(message: "traced"))
        }
      }
      let spans = try await receiver.spans()
      let client = try #require(spans.first { $0.kind == OTLPReceiver.Span.client }, "\(spans)")
      let server = try #require(spans.first { $0.kind == OTLPReceiver.Span.server }, "\(spans)")
      #expect(spans.count == 2)
      #expect(client.name == "EchoService/echo" && server.name == "EchoService/echo")
      #expect(server.traceID == client.traceID && server.parentSpanID == client.spanID)
      #expect(client.parentSpanID.isEmpty)
      #expect(client.service == "otel-test-\(exportProtocol.rawValue)")
      #expect(client.via == exportProtocol.rawValue)
      #expect(server.attributes["rpc.system"] == "apache_thrift")
      #expect(server.attributes["rpc.service"] == "EchoService" && server.attributes["rpc.method"] == "echo")
      #expect(client.attributes["server.address"] == "127.0.0.1" && client.attributes["server.port"] != nil)
      #expect(server.attributes["server.address"] == nil)
    }
  }

  /// Sets the W3C `traceparent` a client call carries, as an uninstrumented caller would.
  struct CallerTraceparent: ClientMiddleware {
    let value: String

    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      var context = context
      context.headers["traceparent"] = value
      return try await next(request, context)
    }
  }

  /// Makes a traced downstream call inside each served call (as a handler would) and keeps
  /// the headers it would send.
  final class DownstreamProbe: ServerMiddleware, Sendable {
    let tracer: any Tracer
    let sent = Mutex<[String: String]>([:])

    init(tracer: any Tracer) { self.tracer = tracer }

    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      _ = try await TracingClientMiddleware(tracer: tracer).intercept(0, context: CallContext(service: "Down", method: "call")) { _, downstream in
        sent.withLock { $0 = downstream.headers }
        return 0
      }
      return try await next(request, context)
    }
  }

  /// A caller that did not sample its trace gets no span from the server (even one that
  /// samples every new trace), and the handler's own calls carry the caller's context on,
  /// still unsampled; a sampled caller gets a server span, child of its span, and the
  /// handler's calls become children of that.
  @Test(arguments: [false, true]) func theServerFollowsItsCallersSamplingDecision(sampled: Bool) async throws {
    let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    let callerSpan = "00f067aa0ba902b7"
    let traceparent = "00-\(traceID)-\(callerSpan)-0\(sampled ? 1 : 0)"
    try await OTLPReceiver.with { receiver in
      let backends = try WeaverOTel.makeBackends(Self.options(receiver, .httpProtobuf), exportMetricsFactory: TestMetrics())
      let tracer = try #require(backends.tracer)
      let probe = DownstreamProbe(tracer: tracer)
      try await Self.withBackends(backends) {
        let server = ThriftServer(
          serving: [EchoService.service(EchoBenchService())],
          configuration: ThriftServerConfiguration(middlewares: [TracingServerMiddleware(tracer: tracer), probe]))
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await server.run() }
          let client = try ThriftClient(
            addresses: ["127.0.0.1:\(try await server.localAddress.port!)"],
            configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(30), middlewares: [CallerTraceparent(value: traceparent)]))
          defer { client.close() }
          _ = try await EchoService.Client(channel: client).echo(req: EchoRequest(message: "decided upstream"))
          group.cancelAll()
        }
      }
      let spans = try await receiver.spans()
      let passedOn = try #require(probe.sent.withLock { $0["traceparent"] })
      let fields = passedOn.split(separator: "-").map(String.init)
      #expect(fields.count == 4 && fields[1] == traceID, "\(passedOn)")
      if sampled {
        let serverSpan = try #require(spans.first { $0.kind == OTLPReceiver.Span.server }, "\(spans)")
        let downstream = try #require(spans.first { $0.kind == OTLPReceiver.Span.client }, "\(spans)")
        #expect(serverSpan.traceID == traceID && serverSpan.parentSpanID == callerSpan)
        #expect(downstream.parentSpanID == serverSpan.spanID && fields[2] == downstream.spanID && fields[3] == "01")
      } else {
        #expect(spans.isEmpty, "\(spans)")
        #expect(passedOn == traceparent, "the caller's context, as it came")
      }
    }
  }

  /// A server middleware that logs inside the call (it runs inside the server span).
  struct LoggingMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      logger.info("serving a call")
      return try await next(request, context)
    }
  }

  @Test func logLinesInsideACallCarryItsTraceAndAreExported() async throws {
    try await OTLPReceiver.with { receiver in
      var options = Self.options(receiver, .httpProtobuf)
      options.logs = true
      let backends = try WeaverOTel.makeBackends(options, exportMetricsFactory: TestMetrics())
      let tracer = try #require(backends.tracer)
      let otelLogs = try #require(backends.logHandlerFactory)
      let recorded = RecordingLogHandler.Records()
      let logger = Logger(label: "feed") { label in
        MultiplexLogHandler([RecordingLogHandler(records: recorded, metadataProvider: WeaverOTel.loggingMetadataProvider), otelLogs(label)])
      }
      try await Self.withBackends(backends) {
        try await Self.withTracedEcho(tracer: tracer, serverMiddlewares: [LoggingMiddleware(logger: logger)]) { echo in
          _ = try await echo.echo(req: EchoRequest(message: "logged"))
        }
      }
      let server = try #require(try await receiver.spans().first { $0.kind == OTLPReceiver.Span.server })
      let line = try #require(recorded.all.first { $0.message == "serving a call" })
      #expect(line.metadata["trace_id"] == server.traceID)
      #expect(line.metadata["span_id"] == server.spanID)
      #expect(line.metadata["rpc.service"] == "EchoService" && line.metadata["rpc.method"] == "echo")
      let exported = try await receiver.logs()
      #expect(exported.contains { $0["body"] == "serving a call" && $0["traceId"] == server.traceID && $0["spanId"] == server.spanID }, "\(exported)")
    }
  }

  @Test func metricsArriveOverOTLP() async throws {
    try await OTLPReceiver.with { receiver in
      var options = Self.options(receiver, .grpc)
      options.metrics = true
      let backends = try WeaverOTel.makeBackends(options, exportMetricsFactory: TestMetrics())
      let factory = try #require(backends.metricsFactory)
      try await Self.withBackends(backends) {
        let server = ThriftServer(
          serving: [EchoService.service(EchoBenchService())],
          configuration: ThriftServerConfiguration(middlewares: [MetricsServerMiddleware(factory: factory)]))
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await server.run() }
          let client = try ThriftClient(addresses: ["127.0.0.1:\(try await server.localAddress.port!)"], configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout))
          defer { client.close() }
          _ = try await EchoService.Client(channel: client).echo(req: EchoRequest(message: "measured"))
          #expect(await eventually { (try? await receiver.metricNames().contains(RPCMetricNames.serverDuration)) == true })
          group.cancelAll()
        }
      }
    }
  }

  /// Many calls while the collector accepts exports and never answers: every call succeeds
  /// (none waits for the exporter), the queue overflows, and the loss is counted.
  @Test func aStalledCollectorNeverFailsACallAndItsLossIsCounted() async throws {
    try await OTLPReceiver.with(stall: true) { receiver in
      var options = Self.options(receiver, .httpProtobuf)
      options.maxQueueSize = 16
      options.exportTimeout = .milliseconds(300)
      let metrics = TestMetrics()
      let backends = try WeaverOTel.makeBackends(options, exportMetricsFactory: metrics)
      let tracer = try #require(backends.tracer)
      try await Self.withBackends(backends) {
        try await Self.withTracedEcho(tracer: tracer) { echo in
          for round in 0..<20 {
            try await withThrowingTaskGroup(of: Void.self) { group in
              for index in 0..<10 { group.addTask { _ = try await echo.echo(req: EchoRequest(message: "\(round)-\(index)")) } }
              try await group.waitForAll()
            }
          }
        }
        #expect(await eventually { Self.total(metrics, ExportMetricNames.dropped) > 0 })
        #expect(await eventually { Self.total(metrics, ExportMetricNames.exportFailures, signal: "traces") > 0 })
      }
    }
  }

  /// Nothing listens where the collector should be: calls go on, failures are counted.
  @Test func anAbsentCollectorNeverFailsACall() async throws {
    let metrics = TestMetrics()
    var options = Self.options(nil, .grpc, endpoint: "http://127.0.0.1:1")
    options.exportTimeout = .milliseconds(300)
    let backends = try WeaverOTel.makeBackends(options, exportMetricsFactory: metrics)
    let tracer = try #require(backends.tracer)
    try await Self.withBackends(backends) {
      try await Self.withTracedEcho(tracer: tracer) { echo in
        for index in 0..<50 { _ = try await echo.echo(req: EchoRequest(message: "\(index)")) }
      }
      #expect(await eventually { Self.total(metrics, ExportMetricNames.exportFailures, signal: "traces") > 0 })
    }
  }

  @Test func badOptionsAreRefusedWithAReason() throws {
    let ratio = #expect(throws: WeaverOTelOptionsError.self) {
      try WeaverOTel.makeBackends(WeaverOTelOptions(serviceName: "x", samplingRatio: 1.5))
    }
    #expect(ratio?.description == "sampling ratio 1.5 is not between 0 and 1")
    let endpoint = #expect(throws: WeaverOTelOptionsError.self) {
      try WeaverOTel.makeBackends(WeaverOTelOptions(serviceName: "x", endpoint: "localhost:4317"))
    }
    #expect(endpoint?.description == "the OTLP endpoint localhost:4317 must start with http:// or https://")
  }

  @Test func aCollectorIsNamedByOptionsOrTheStandardVariables() {
    #expect(!WeaverOTelOptions(serviceName: "x").namesCollector(environment: [:]))
    #expect(WeaverOTelOptions(serviceName: "x", endpoint: "http://c:4318").namesCollector(environment: [:]))
    #expect(WeaverOTelOptions(serviceName: "x").namesCollector(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]))
    #expect(WeaverOTelOptions(serviceName: "x").namesCollector(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"]))
  }

  /// The sum of the counter's series named `label` (those of `signal`, when given).
  static func total(_ metrics: TestMetrics, _ label: String, signal: String? = nil) -> Int64 {
    metrics.counterTotal(label: label, dimensions: signal.map { [("signal", $0)] } ?? [])
  }
}
