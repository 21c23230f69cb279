import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeaverControlPlaneModels

/// Gray releases over real sockets: `/v1/config/…/gray`, the client named in the query,
/// and Apollo clients by `ip` and `label`.
@Suite(.timeLimit(.minutes(1))) struct GrayReleaseAPITests {
  static let base = "/v1/config/demo/default/application"

  static func post(_ client: any TestClientProtocol, _ path: String, _ body: String) async throws -> TestResponse {
    try await client.execute(uri: base + path, method: .post, body: ByteBuffer(string: body))
  }

  /// Main release 1 (`timeout=10`), gray release 2 (`timeout=30`) for `rule`.
  static func grayOnTop(_ client: any TestClientProtocol, rule: String) async throws {
    try await ApolloAPITests.publish(client, "demo/default/application", "timeout=10")
    _ = try await client.execute(uri: base, method: .put, body: ByteBuffer(string: #"{"content":"timeout=30"}"#))
    let gray = try await post(client, "/gray", #"{"author":"ana","rule":\#(rule)}"#)
    #expect(gray.status == .ok)
    #expect(try RegistryAPITests.decode(GrayRelease.self, gray).release.number == 2)
  }

  @Test func readersNamedInTheQueryGetTheGrayReleaseUntilItIsPromoted() async throws {
    try await RegistryAPITests.withServer { client in
      try await Self.grayOnTop(client, rule: #"{"labels":{"release":"canary"},"ips":["10.0.0.7"]}"#)
      let current = { (query: String) async throws -> Int? in
        try RegistryAPITests.decode(NamespaceState.self, try await client.execute(uri: Self.base + query, method: .get)).current?.number
      }
      #expect(try await current("?label=release:canary&label=zone:a") == 2)
      #expect(try await current("?ip=10.0.0.7") == 2)
      #expect(try await current("?label=release:stable&ip=10.0.0.1") == 1)
      #expect(try await current("") == 1)

      // A canary watching by blocking query is told when the gray release is promoted.
      let state = try RegistryAPITests.decode(NamespaceState.self, try await client.execute(uri: "\(Self.base)?ip=10.0.0.7", method: .get))
      #expect(state.gray?.rule.ips == ["10.0.0.7"])
      async let watched = RegistryAPITests.onOwnConnection(client) { try await $0.get("\(Self.base)?ip=10.0.0.1&index=\(state.index)&wait=60s") }
      let promoted = try await Self.post(client, "/gray/promote", #"{"author":"ben","comment":"looks good"}"#)
      #expect(try RegistryAPITests.decode(ConfigRelease.self, promoted).promotedFrom == 2)
      let seen = try JSONDecoder().decode(NamespaceState.self, from: try await watched)
      #expect(seen.current?.number == 3 && seen.current?.content == "timeout=30" && seen.gray == nil)
    }
  }

  @Test func apolloClientsAreSelectedByIPAndLabelAndToldOfTheEnd() async throws {
    try await RegistryAPITests.withServer { client in
      try await Self.grayOnTop(client, rule: #"{"labels":{"label":"canary"},"ips":["10.0.0.7"]}"#)
      let configurations = { (query: String) async throws -> [String: String]? in
        try ApolloAPITests.object(try await client.execute(uri: "/configs/demo/default/application" + query, method: .get))["configurations"]
          as? [String: String]
      }
      #expect(try await configurations("?ip=10.0.0.7") == ["timeout": "30"])
      #expect(try await configurations("?label=canary") == ["timeout": "30"])
      #expect(try await configurations("?ip=10.0.0.1") == ["timeout": "10"])
      let flat = try await client.execute(uri: "/configfiles/json/demo/default/application?ip=10.0.0.7", method: .get)
      #expect(try JSONSerialization.jsonObject(with: Data(flat.body.readableBytesView)) as? [String: String] == ["timeout": "30"])

      // Abandoning is a change every Apollo client is told of; the canary goes back to release 1.
      let first = try #require(
        try JSONSerialization.jsonObject(with: Data(try await client.execute(uri: ApolloAPITests.notifications("application", -1), method: .get).body.readableBytesView))
          as? [[String: Any]])
      let id = try #require(first.first?["notificationId"] as? Int)
      #expect(try await Self.post(client, "/gray/abandon", #"{"author":"ben"}"#).status == .ok)
      let told = try await client.execute(uri: ApolloAPITests.notifications("application", id), method: .get)
      #expect(told.status == .ok)
      #expect(try await configurations("?ip=10.0.0.7") == ["timeout": "10"])
    }
  }

  @Test(arguments: [
    ("POST", "/gray", #"{"author":"ana","rule":{"ips":["10.0.0.1"]}}"#, 404, "no draft"),
    ("POST", "/gray/promote", #"{"author":"ana"}"#, 404, "no gray release"),
    ("POST", "/gray/abandon", #"{"author":"ana"}"#, 404, "no gray release"),
    ("PUT+POST", "/gray", #"{"author":"ana","rule":{"percent":10}}"#, 400, "unknown field 'rule.percent'"),
    ("PUT+POST", "/gray", #"{"author":"ana","rule":{}}"#, 400, "name ips, labels or a percentage"),
    ("PUT+POST", "/gray", #"{"author":"ana","rule":{"percentage":"ten"}}"#, 400, "rule.percentage: expected a number"),
    ("GET", "?label=canary", "", 400, "label must be key:value"),
  ])
  func refusals(method: String, path: String, body: String, status: Int, reason: String) async throws {
    try await RegistryAPITests.withServer { client in
      if method == "PUT+POST" {
        _ = try await client.execute(uri: Self.base, method: .put, body: ByteBuffer(string: #"{"content":"timeout=30"}"#))
      } else if method == "GET" {
        try await ApolloAPITests.publish(client, "demo/default/application", "timeout=10")
      }
      let response = try await client.execute(
        uri: Self.base + path, method: method == "GET" ? .get : .post, body: body.isEmpty ? nil : ByteBuffer(string: body))
      #expect(response.status.code == status)
      let error = try RegistryAPITests.error(response)
      #expect(error.message.contains(reason), "\(error.message)")
    }
  }
}
