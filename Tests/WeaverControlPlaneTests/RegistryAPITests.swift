import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WeaverControlPlane
import WeaverControlPlaneModels
import WeaverStore

/// The `/v1` registry API over real sockets (Hummingbird's live test client), on a real
/// SQLite store: what a client sends, what it gets back, and every refusal as JSON.
@Suite(.timeLimit(.minutes(2))) struct RegistryAPITests {
  /// Runs `body` against a live server on a fresh store.
  static func withServer(
    tokens: [String] = [], protectReads: Bool = false, apolloHold: Duration = .seconds(60),
    apolloAccessKeys: ApolloAccessKeys = ApolloAccessKeys(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
  ) async throws {
    try await TemporaryStore.with { store in
      let server = ControlPlaneServer(
        store: store,
        configuration: .init(port: 0, tokens: tokens, protectReads: protectReads, apolloHold: apolloHold, apolloAccessKeys: apolloAccessKeys))
      let application = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
      try await application.test(.live) { client in try await body(client) }
    }
  }

  static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

  /// Runs one request on a new connection to `client`'s server; returns the body.
  static func onOwnConnection(
    _ client: any TestClientProtocol, _ request: @escaping @Sendable (TestClient) async throws -> TestClient.Response
  ) async throws -> Data {
    let port = try #require(client.port)
    return try await TestClient.withClient(host: "127.0.0.1", port: port) { own in
      Data((try await request(own).body ?? ByteBuffer()).readableBytesView)
    }
  }

  static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
  }

  /// The error body every refusal carries.
  static func error(_ response: TestResponse) throws -> APIErrorBody.Detail {
    #expect(response.headers[.contentType] == "application/json")
    return try decode(APIErrorBody.self, response).error
  }

  @Test func registerQueryHeartbeatDeregister() async throws {
    try await Self.withServer { client in
      let registered = try await client.execute(
        uri: "/v1/services/Feed/instances", method: .post,
        body: Self.json(#"{"host":"10.0.0.1","port":9090,"releaseTag":"canary","labels":{"pool":"a"},"weight":20}"#))
      #expect(registered.status == .ok)
      #expect(try Self.decode(InstanceRecord.self, registered).id == "10.0.0.1:9090")
      let listed = try await client.execute(uri: "/v1/services/Feed/instances?healthy=true&tag=canary", method: .get)
      let answer = try Self.decode(ServiceInstances.self, listed)
      #expect(answer.instances.map(\.weight) == [20] && answer.instances.first?.labels == ["pool": "a"])
      #expect(listed.headers[RegistryRoutes.indexHeader] == String(answer.index))
      #expect(try await client.execute(uri: "/v1/services/Feed/instances/10.0.0.1:9090/heartbeat", method: .put).status == .noContent)
      let services = try Self.decode([ServiceSummary].self, try await client.execute(uri: "/v1/services", method: .get))
      #expect(services == [ServiceSummary(service: "Feed", instances: 1, healthy: 1)])
      #expect(try await client.execute(uri: "/v1/services/Feed/instances/10.0.0.1:9090", method: .delete).status == .noContent)
      let gone = try await client.execute(uri: "/v1/services/Feed/instances/10.0.0.1:9090", method: .delete)
      #expect(gone.status == .notFound)
      #expect(try Self.error(gone).code == "not_found")
      #expect(try await client.execute(uri: "/v1/health", method: .get).status == .ok)
      #expect(try await client.execute(uri: "/v1/health", method: .head).status == .ok, "load balancers probe with HEAD")
    }
  }

  @Test func pathSegmentsArePercentDecoded() async throws {
    try await Self.withServer { client in
      _ = try await client.execute(uri: "/v1/services/Feed/instances", method: .post, body: Self.json(#"{"host":"h","port":80}"#))
      // What Python's quote() and most clients send for the id h:80.
      #expect(try await client.execute(uri: "/v1/services/Feed/instances/h%3A80/heartbeat", method: .put).status == .noContent)
      #expect(try await client.execute(uri: "/v1/services/%46eed/instances/h%3A80", method: .delete).status == .noContent)
    }
  }

  @Test func anEnormousWaitIsCappedNotACrash() async throws {
    #expect(try RegistryRoutes.duration("9223372036854775807m") == RegistryRoutes.maxWait + .seconds(60))
    #expect(try RegistryRoutes.duration("250ms") == .milliseconds(250))
    #expect(try RegistryRoutes.duration("2m") == .seconds(120))
    try await Self.withServer { client in
      let response = try await client.execute(uri: "/v1/services/a/instances?index=9223372036854775807&wait=9223372036854775807m", method: .get)
      #expect(response.status == .ok, "an index ahead of the store answers at once")
    }
  }

  @Test func aBlockingQueryAnswersOnTheChange() async throws {
    try await Self.withServer { client in
      let first = try Self.decode(ServiceInstances.self, try await client.execute(uri: "/v1/services/Feed/instances", method: .get))
      // (On a connection of its own: the test client's connection serves one request at a time.)
      async let waited = Self.onOwnConnection(client) { try await $0.get("/v1/services/Feed/instances?index=\(first.index)&wait=60s") }
      _ = try await client.execute(uri: "/v1/services/Feed/instances", method: .post, body: Self.json(#"{"host":"h","port":1}"#))
      let answer = try JSONDecoder().decode(ServiceInstances.self, from: try await waited)
      #expect(answer.index > first.index && answer.instances.count == 1)
      // Nothing changes: the answer comes when the wait is over, with the same index.
      let idle = try Self.decode(
        ServiceInstances.self, try await client.execute(uri: "/v1/services/Feed/instances?index=\(answer.index)&wait=50ms", method: .get))
      #expect(idle.index == answer.index)
    }
  }

  @Test(arguments: [
    ("POST", "/v1/services/Feed/instances", "{not json", 400, "not JSON"),
    ("POST", "/v1/services/Feed/instances", "[1]", 400, "JSON object"),
    ("POST", "/v1/services/Feed/instances", #"{"host":"h","port":1,"colour":"red"}"#, 400, "unknown field 'colour'"),
    ("POST", "/v1/services/Feed/instances", #"{"host":"h","port":"eighty"}"#, 400, "port: expected a number"),
    ("POST", "/v1/services/Feed/instances", #"{"port":1}"#, 400, "host: required"),
    ("POST", "/v1/services/Feed/instances", #"{"host":"h","port":70000}"#, 400, "port must be in 1…65535"),
    ("POST", "/v1/services/bad%20name/instances", #"{"host":"h","port":1}"#, 400, "service name"),
    ("GET", "/v1/services/Feed/instances?index=-3", "", 400, "index"),
    ("GET", "/v1/services/Feed/instances?index=1&wait=soon", "", 400, "wait"),
    ("GET", "/v1/services/Feed/instances?healthy=maybe", "", 400, "healthy"),
    ("PUT", "/v1/services/Feed/settings", #"{"protectionThreshold":2}"#, 400, "protectionThreshold"),
    ("PUT", "/v1/services/Feed/instances/none/heartbeat", "", 404, "register it"),
    ("GET", "/v1/no/such/route", "", 404, "no such route"),
  ])
  func refusalsAreJSONWithAReason(method: String, uri: String, body: String, status: Int, reason: String) async throws {
    try await Self.withServer { client in
      let response = try await client.execute(
        uri: uri, method: HTTPRequest.Method(method)!, body: body.isEmpty ? nil : Self.json(body))
      #expect(response.status.code == status)
      let error = try Self.error(response)
      #expect(error.message.contains(reason), "\(error.message)")
    }
  }

  @Test func anOversizeBodyIs413() async throws {
    try await Self.withServer { client in
      let huge = #"{"host":"h","port":1,"labels":{"k":""# + String(repeating: "x", count: 2 << 20) + #""}}"#
      let response = try await client.execute(uri: "/v1/services/Feed/instances", method: .post, body: Self.json(huge))
      #expect(response.status == .contentTooLarge)
      #expect(try Self.error(response).code == "too_large")
    }
  }

  @Test func writesNeedATokenReadsOnlyWhenProtected() async throws {
    let registration = Self.json(#"{"host":"h","port":1}"#)
    try await Self.withServer(tokens: ["s3cret", "other"]) { client in
      let anonymous = try await client.execute(uri: "/v1/services/Feed/instances", method: .post, body: registration)
      #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] == "Bearer")
      #expect(try Self.error(anonymous).code == "unauthenticated")
      let wrong = try await client.execute(
        uri: "/v1/services/Feed/instances", method: .post, headers: [.authorization: "Bearer s3cre"], body: registration)
      #expect(wrong.status == .unauthorized)
      let right = try await client.execute(
        uri: "/v1/services/Feed/instances", method: .post, headers: [.authorization: "Bearer other"], body: registration)
      #expect(right.status == .ok)
      #expect(try await client.execute(uri: "/v1/services", method: .get).status == .ok, "reads are open")
    }
    try await Self.withServer(tokens: ["s3cret"], protectReads: true) { (client: any TestClientProtocol) async throws in
      #expect(try await client.execute(uri: "/v1/services", method: .get).status == .unauthorized)
      #expect(try await client.execute(uri: "/v1/services", method: .get, headers: [.authorization: "Bearer s3cret"]).status == .ok)
      #expect(try await client.execute(uri: "/v1/health", method: .get).status == .ok, "liveness stays open")
    }
  }

  @Test func constantTimeComparisonIsStillEquality() {
    #expect(ConstantTime.equal(Array("abc".utf8), Array("abc".utf8)))
    #expect(!ConstantTime.equal(Array("abc".utf8), Array("abd".utf8)))
    #expect(!ConstantTime.equal(Array("abc".utf8), Array("abcd".utf8)))
    #expect(!ConstantTime.equal([], Array("a".utf8)))
    #expect(ConstantTime.equal([], []))
  }
}
