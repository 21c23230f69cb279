import GRPCCore
import GRPCNIOTransportHTTP2
import Testing
import WeaverBenchAdapters
import WeaverCore
import WeaverDiscovery
import WeaverGRPC
import WeaverGovernance
import WeaverTestSupport
import WeaverTesting

/// The governance chain over gRPC, with grpc-swift servers and the governed client transport
/// on real loopback sockets: limits and breakers answer with the statuses gRPC clients
/// expect, release tags route to canaries, retries move to a live instance, and the call's
/// context (tag, caller, trace, deadline) crosses the hop.
@Suite(.timeLimit(.minutes(2))) struct GRPCGovernanceTests {
  static func rules(_ yaml: String, service: String = "echo.Echo") throws -> RuleStore {
    let store = RuleStore(service: service)
    try store.set(RuleDocument(parsing: yaml, file: "test.yaml"), layer: .file)
    return store
  }

  static func instance(_ port: Int, release: String? = nil) -> Instance {
    Instance(host: "127.0.0.1", port: port, tags: release.map { ["release": $0] } ?? [:])
  }

  @Test func aServerLimitAnswersResourceExhaustedNamingOverloaded() async throws {
    let time = SimulatedTime()
    let governor = ServerGovernor(rules: try Self.rules("methods: {Echo: {limits: {qps: 1, burst: 1}}}"), time: time.source)
    try await withGRPCServers([ReportingEchoService(name: "only")], middlewares: [governor.middleware]) { ports in
      let transport = try GovernedGRPCTransport(addresses: ["127.0.0.1:\(ports[0])"])
      try await withGovernedEcho(transport) { echo in
        _ = try await echo.echo("first")
        let error = await #expect(throws: GRPCCore.RPCError.self) { try await echo.echo("second") }
        #expect(error?.code == .resourceExhausted)
        #expect(error.flatMap(GRPCErrorMapping.weaverError)?.code == .overloaded)
        time.advance(by: .seconds(1))
        _ = try await echo.echo("a token came back")
      }
    }
  }

  @Test func aForcedOpenBreakerFailsFastAsUnavailableNamingCircuitOpen() async throws {
    try await withGRPCServers([ReportingEchoService(name: "only")]) { ports in
      let governor = ClientGovernor(rules: try Self.rules("circuitBreaker: {mode: forcedOpen}"))
      let transport = try GovernedGRPCTransport(addresses: ["127.0.0.1:\(ports[0])"], governance: governor)
      try await withGovernedEcho(transport) { echo in
        let error = await #expect(throws: GRPCCore.RPCError.self) { try await echo.echo("refused") }
        #expect(error?.code == .unavailable)
        #expect(error.flatMap(GRPCErrorMapping.weaverError)?.code == .circuitOpen)
      }
    }
  }

  @Test func releaseTagsReachTheCanaryAndFallBackToStable() async throws {
    let services = [ReportingEchoService(name: "stable"), ReportingEchoService(name: "canary")]
    try await withGRPCServers(services) { ports in
      let resolver = StaticResolver([Self.instance(ports[0]), Self.instance(ports[1], release: "canary")])
      let transport = GovernedGRPCTransport(resolver: resolver, governance: ClientGovernor(rules: RuleStore(service: "echo.Echo")))
      try await withGovernedEcho(transport) { echo in
        for _ in 0..<4 {
          let canary = try await echo.echo("hi", in: callTagged("canary"))
          #expect(Report.field(.server, of: canary) == "canary")
          // The tag travels on, so the canary's own calls stay coloured.
          #expect(Report.field(.release, of: canary) == "canary")
          let plain = try await echo.echo("hi")
          #expect(Report.field(.server, of: plain) == "stable")
          // No "blue" instance: the call falls back to the untagged ones.
          let blue = try await echo.echo("hi", in: callTagged("blue"))
          #expect(Report.field(.server, of: blue) == "stable")
        }
      }
    }
  }

  @Test func aRefusedConnectIsRetriedOnALiveInstance() async throws {
    // Nothing listens on port 1 (a port freed a moment ago could be another test's by now).
    let closedPort = 1
    try await withGRPCServers([ReportingEchoService(name: "live")]) { ports in
      let resolver = StaticResolver([Self.instance(closedPort), Self.instance(ports[0])])
      let transport = GovernedGRPCTransport(resolver: resolver, governance: ClientGovernor(rules: RuleStore(service: "echo.Echo")))
      try await withGovernedEcho(transport) { echo in
        // Round robin sends some first attempts to the closed port; none may fail.
        for index in 0..<6 {
          let answer = try await echo.echo("call \(index)")
          #expect(Report.field(.server, of: answer) == "live")
        }
      }
    }
  }

  /// Sets the trace header as the tracing middleware does once it started the client span.
  struct SettingTraceHeader: ClientMiddleware {
    let traceparent: String
    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      var context = context
      context.headers["traceparent"] = traceparent
      return try await next(request, context)
    }
  }

  @Test func theCallersContextAndDeadlineCrossTheHop() async throws {
    let trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    try await withGRPCServers([ReportingEchoService(name: "only")]) { ports in
      let transport = try GovernedGRPCTransport(
        addresses: ["127.0.0.1:\(ports[0])"], governance: ClientGovernor(rules: RuleStore(service: "echo.Echo")),
        configuration: .init(callerName: "edge-gateway", middlewares: [SettingTraceHeader(traceparent: trace)]))
      try await withGovernedEcho(transport) { echo in
        let answer = try await echo.echo("hello", in: callTagged("canary"), timeout: .seconds(30))
        #expect(Report.field(.message, of: answer) == "hello")
        #expect(Report.field(.release, of: answer) == "canary")
        #expect(Report.field(.caller, of: answer) == "edge-gateway")
        #expect(Report.field(.traceparent, of: answer) == trace)
        let left = try #require(Int(Report.field(.millisecondsLeft, of: answer)))
        #expect(left > 0 && left <= 30_000)
      }
    }
  }

  @Test func aPlainGRPCSwiftClientFindsInstancesThroughDiscovery() async throws {
    try await withGRPCServers([ReportingEchoService(name: "a"), ReportingEchoService(name: "b")]) { ports in
      var resolvers = NameResolverRegistry.defaults
      resolvers.registerFactory(NameResolvers.Discovery())
      let transport = try HTTP2ClientTransport.Posix(
        target: ResolvableTargets.Discovery(StaticResolver([Self.instance(ports[0]), Self.instance(ports[1])])),
        transportSecurity: .plaintext, resolverRegistry: resolvers, serviceConfig: ServiceConfig(loadBalancingConfig: [.roundRobin]))
      let servers = try await withGRPCClient(transport: transport) { client in
        let echo = Echo_Echo.Client(wrapping: client)
        var seen: Set<String> = []
        // grpc-swift's round robin reaches both once both subchannels are ready.
        _ = await eventually {
          var request = Echo_EchoRequest()
          request.message = "hi"
          guard let answer = try? await echo.echo(request) else { return false }
          seen.insert(Report.field(.server, of: answer.message))
          return seen.count == 2
        }
        return seen
      }
      #expect(servers == ["a", "b"])
    }
  }
}
