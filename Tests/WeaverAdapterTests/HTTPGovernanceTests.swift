import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import WeaverBenchAdapters
import WeaverCore
import WeaverDiscovery
import WeaverGovernance
import WeaverHTTP
import WeaverTesting

/// The governance chain over HTTP, with Hummingbird servers and the governed HTTP client on
/// real loopback sockets: a refusal is a 429/503 with `Retry-After`, a JSON body and the
/// exact code; edge headers colour the call; the client routes, retries and breaks.
@Suite(.timeLimit(.minutes(2))) struct HTTPGovernanceTests {
  static func rules(_ yaml: String, service: String = "EchoHTTP") throws -> RuleStore {
    let store = RuleStore(service: service)
    try store.set(RuleDocument(parsing: yaml, file: "test.yaml"), layer: .file)
    return store
  }

  static func instance(_ port: Int, release: String? = nil) -> Instance {
    Instance(host: "127.0.0.1", port: port, tags: release.map { ["release": $0] } ?? [:])
  }

  static func errorBody(_ text: String) throws -> [String: String] {
    let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: String]]
    return try #require(decoded?["error"])
  }

  @Test func aServerLimitAnswers429WithRetryAfterAndAJSONBody() async throws {
    let time = SimulatedTime()
    let governor = ServerGovernor(rules: try Self.rules("methods: {POST /echo: {limits: {qps: 1, burst: 1}}}"), time: time.source)
    try await withHTTPServers([reportingRouter(name: "only", middlewares: [governor.middleware])]) { ports in
      #expect(try await post(ports[0], body: "first").status == .ok)
      let refused = try await post(ports[0], body: "second")
      #expect(refused.status == .tooManyRequests)
      #expect(refused.headers.first(name: "retry-after") == "1")
      #expect(refused.headers.first(name: HTTPErrorMapping.codeHeader) == "overloaded")
      #expect(refused.headers.first(name: "content-type") == "application/json")
      #expect(try Self.errorBody(refused.text)["code"] == "overloaded")
      time.advance(by: .seconds(1))
      #expect(try await post(ports[0], body: "a token came back").status == .ok)
    }
  }

  @Test func edgeHeadersColourTheCallBeingServed() async throws {
    let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    try await withHTTPServers([reportingRouter(name: "edge", middlewares: [])]) { ports in
      let answer = try await post(
        ports[0], headers: [("X-Release-Tag", "canary"), ("traceparent", trace), ("x-weaver-caller", "curl")], body: "hello")
      #expect(answer.status == .ok)
      #expect(Report.field(.message, of: answer.text) == "hello")
      #expect(Report.field(.release, of: answer.text) == "canary")
      #expect(Report.field(.traceparent, of: answer.text) == trace)
      #expect(Report.field(.caller, of: answer.text) == "curl")
    }
  }

  @Test func theGovernedClientRoutesReleaseTagsAndFallsBack() async throws {
    let routers = [reportingRouter(name: "stable", middlewares: []), reportingRouter(name: "canary", middlewares: [])]
    try await withHTTPServers(routers) { ports in
      let client = GovernedHTTPClient(
        service: "EchoHTTP", resolver: StaticResolver([Self.instance(ports[0]), Self.instance(ports[1], release: "canary")]),
        governance: ClientGovernor(rules: RuleStore(service: "EchoHTTP")), configuration: .init(callerName: "gateway"))
      for _ in 0..<4 {
        let canary = try await CallContext.withCurrent(callTagged("canary")) { try await client.execute(.POST, "/echo", body: ByteBuffer(string: "x")) }
        #expect(Report.field(.server, of: canary.text) == "canary")
        #expect(Report.field(.release, of: canary.text) == "canary")
        #expect(Report.field(.caller, of: canary.text) == "gateway")
        let plain = try await client.execute(.POST, "/echo", body: ByteBuffer(string: "x"))
        #expect(Report.field(.server, of: plain.text) == "stable")
        let blue = try await CallContext.withCurrent(callTagged("blue")) { try await client.execute(.POST, "/echo", body: ByteBuffer(string: "x")) }
        #expect(Report.field(.server, of: blue.text) == "stable")
      }
    }
  }

  @Test func aRefusedConnectIsRetriedOnALiveInstance() async throws {
    // Nothing listens on port 1 (a port freed a moment ago could be another test's by now).
    let closedPort = 1
    try await withHTTPServers([reportingRouter(name: "live", middlewares: [])]) { ports in
      let client = GovernedHTTPClient(
        service: "EchoHTTP", resolver: StaticResolver([Self.instance(closedPort), Self.instance(ports[0])]),
        governance: ClientGovernor(rules: RuleStore(service: "EchoHTTP")))
      for index in 0..<6 {
        let answer = try await client.execute(.POST, "/echo", body: ByteBuffer(string: "call \(index)"))
        #expect(Report.field(.server, of: answer.text) == "live")
      }
    }
  }

  @Test func aBreakerRefusalOfTheNextHopIsA503WithRetryAfter() async throws {
    try await withHTTPServers([reportingRouter(name: "backend", middlewares: [])]) { backendPorts in
      let settings = EchoForwarder.Settings(
        resolver: StaticResolver([Self.instance(backendPorts[0])]),
        governance: ClientGovernor(rules: try Self.rules("circuitBreaker: {mode: forcedOpen}")))
      let forwarder = EchoForwarder.http(settings)
      let gateway = HTTPEchoRouter.make(middlewares: [ServerGovernor(rules: RuleStore(service: "EchoHTTP")).middleware], forward: forwarder.call)
      try await withHTTPServers([gateway]) { ports in
        let refused = try await post(ports[0], headers: [("content-type", "application/json")], body: #"{"message":"hi"}"#)
        #expect(refused.status == .serviceUnavailable)
        #expect(refused.headers.first(name: "retry-after") == "1")
        #expect(refused.headers.first(name: HTTPErrorMapping.codeHeader) == "circuitOpen")
        #expect(try Self.errorBody(refused.text)["code"] == "circuitOpen")
      }
    }
  }

  @Test func theEdgesRegionSteersRegionAffinityAlongTheChain() async throws {
    let routers = [reportingRouter(name: "eu", middlewares: []), reportingRouter(name: "us", middlewares: [])]
    try await withHTTPServers(routers) { ports in
      let client = GovernedHTTPClient(
        service: "EchoHTTP",
        resolver: StaticResolver([Instance(host: "127.0.0.1", port: ports[0], region: "eu"), Instance(host: "127.0.0.1", port: ports[1], region: "us")]),
        governance: ClientGovernor(rules: try Self.rules("routing: {region: {enabled: true}}"), locality: Locality(region: "us")))
      let edge = HTTPCallHeaders.read([(name: "x-region", value: "eu")], service: "EchoHTTP", method: "POST /echo")
      for _ in 0..<4 {
        let fromEU = try await CallContext.withCurrent(edge) { try await client.execute(.POST, "/echo", body: ByteBuffer(string: "x")) }
        #expect(Report.field(.server, of: fromEU.text) == "eu")
        // Without the edge's region, this client's own locality decides.
        let local = try await client.execute(.POST, "/echo", body: ByteBuffer(string: "x"))
        #expect(Report.field(.server, of: local.text) == "us")
      }
    }
  }
}
