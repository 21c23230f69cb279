import GRPCCore
import MetricsTestKit
import NIOCore
import Testing
import WeaverCore
import WeaverDiscovery
import WeaverGRPC
import WeaverGovernance
import WeaverHTTP
import WeaverTelemetry
import WeaverTesting

/// gRPC and HTTP calls are measured by the same middleware under the same names and labels
/// as Thrift calls (`weaver_rpc_server_duration_seconds{service,method,outcome,code}`), a
/// governance refusal included.
@Suite(.timeLimit(.minutes(2))) struct MetricsVocabularyTests {
  static func limitedToOneCall(service: String, method: String, time: SimulatedTime) throws -> ServerGovernor {
    let store = RuleStore(service: service)
    try store.set(RuleDocument(parsing: "methods: {\(method): {limits: {qps: 1, burst: 1}}}", file: "limits.yaml"), layer: .file)
    return ServerGovernor(rules: store, time: time.source)
  }

  static func expectOneSuccessAndOneOverloaded(_ metrics: TestMetrics, _ name: String, service: String, method: String) throws {
    let labels = [("service", service), ("method", method)]
    let success = try metrics.expectTimer(name, labels + [("outcome", "success"), ("code", "none")])
    #expect(success.values.count == 1)
    let refused = try metrics.expectTimer(name, labels + [("outcome", "failure"), ("code", "overloaded")])
    #expect(refused.values.count == 1)
  }

  @Test func grpcCallsAreMeasuredOnBothSidesUnderTheRPCNames() async throws {
    let server = TestMetrics()
    let client = TestMetrics()
    let governor = try Self.limitedToOneCall(service: "echo.Echo", method: "Echo", time: SimulatedTime())
    try await withGRPCServers([ReportingEchoService(name: "only")], middlewares: [MetricsServerMiddleware(factory: server), governor.middleware]) { ports in
      let transport = try GovernedGRPCTransport(
        addresses: ["127.0.0.1:\(ports[0])"], configuration: .init(middlewares: [MetricsClientMiddleware(factory: client)]))
      try await withGovernedEcho(transport) { echo in
        _ = try await echo.echo("first")
        _ = try? await echo.echo("refused")
      }
    }
    try Self.expectOneSuccessAndOneOverloaded(server, RPCMetricNames.serverDuration, service: "echo.Echo", method: "Echo")
    try Self.expectOneSuccessAndOneOverloaded(client, RPCMetricNames.clientDuration, service: "echo.Echo", method: "Echo")
  }

  @Test func httpCallsAreMeasuredOnBothSidesUnderTheRPCNames() async throws {
    let server = TestMetrics()
    let client = TestMetrics()
    let governor = try Self.limitedToOneCall(service: "EchoHTTP", method: "POST /echo", time: SimulatedTime())
    let router = reportingRouter(name: "only", middlewares: [MetricsServerMiddleware(factory: server), governor.middleware])
    try await withHTTPServers([router]) { ports in
      let http = GovernedHTTPClient(
        service: "EchoHTTP", resolver: try StaticResolver(addresses: ["127.0.0.1:\(ports[0])"]),
        configuration: .init(middlewares: [MetricsClientMiddleware(factory: client)]))
      #expect(try await http.execute(.POST, "/echo", body: ByteBuffer(string: "first")).status == .ok)
      #expect(try await http.execute(.POST, "/echo", body: ByteBuffer(string: "refused")).status == .tooManyRequests)
    }
    try Self.expectOneSuccessAndOneOverloaded(server, RPCMetricNames.serverDuration, service: "EchoHTTP", method: "POST /echo")
    try Self.expectOneSuccessAndOneOverloaded(client, RPCMetricNames.clientDuration, service: "EchoHTTP", method: "POST /echo")
  }
}
