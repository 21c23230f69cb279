import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeaverControlPlaneModels

/// The config center's `/v1/config` API over real sockets.
@Suite(.timeLimit(.minutes(1))) struct ConfigAPITests {
  static let base = "/v1/config/demo/default/application"

  @Test func draftPublishWatchRollback() async throws {
    try await RegistryAPITests.withServer { client in
      let draft = try await client.execute(uri: Self.base, method: .put, body: ByteBuffer(string: #"{"content":"timeout=10"}"#))
      #expect(draft.status == .ok)
      let state = try RegistryAPITests.decode(NamespaceState.self, draft)
      #expect(state.format == .properties && state.draft == "timeout=10" && state.current == nil)

      // A blocking query on the namespace answers when the release lands.
      // (On a connection of its own: the test client's connection serves one request at a time.)
      async let watched = RegistryAPITests.onOwnConnection(client) { try await $0.get("\(Self.base)?index=\(state.index)&wait=60s") }
      let published = try await client.execute(
        uri: "\(Self.base)/publish", method: .post, body: ByteBuffer(string: #"{"author":"ana","comment":"first"}"#))
      #expect(try RegistryAPITests.decode(ConfigRelease.self, published).number == 1)
      let seen = try JSONDecoder().decode(NamespaceState.self, from: try await watched)
      #expect(seen.current?.number == 1 && seen.index > state.index)

      _ = try await client.execute(uri: Self.base, method: .put, body: ByteBuffer(string: #"{"content":"timeout=30"}"#))
      _ = try await client.execute(uri: "\(Self.base)/publish", method: .post, body: ByteBuffer(string: #"{"author":"ben"}"#))
      let diff = try RegistryAPITests.decode(ReleaseDiff.self, try await client.execute(uri: "\(Self.base)/diff?from=1&to=2", method: .get))
      #expect(diff.changes == [ReleaseDiff.Change(kind: "changed", key: "timeout", old: "10", new: "30")])
      let rollback = try await client.execute(uri: "\(Self.base)/rollback", method: .post, body: ByteBuffer(string: #"{"author":"ana","to":1}"#))
      #expect(try RegistryAPITests.decode(ConfigRelease.self, rollback).content == "timeout=10")
      let history = try RegistryAPITests.decode([ConfigRelease].self, try await client.execute(uri: "\(Self.base)/releases", method: .get))
      #expect(history.map(\.number) == [3, 2, 1])
      #expect(try await client.execute(uri: "\(Self.base)/releases/2", method: .get).status == .ok)
    }
  }

  @Test(arguments: [
    ("GET", "/v1/config/demo/default/none", "", 404, "no namespace"),
    ("PUT", "/v1/config/demo/default/application", #"{"content":"a=1","owner":"x"}"#, 400, "unknown field 'owner'"),
    ("PUT", "/v1/config/demo/default/application", #"{"format":"xml","content":""}"#, 400, "format"),
    ("POST", "/v1/config/demo/default/application/publish", #"{"author":"ana"}"#, 404, "no draft"),
    ("GET", "/v1/config/demo/default/application/diff?from=1", "", 400, "from= and to="),
    ("GET", "/v1/config/demo/default/application/releases/zero", "", 400, "release number"),
    ("POST", "/v1/config/demo/default/governance/publish", #"{"author":"ana"}"#, 404, "no draft"),
  ])
  func refusals(method: String, uri: String, body: String, status: Int, reason: String) async throws {
    try await RegistryAPITests.withServer { client in
      let response = try await client.execute(uri: uri, method: HTTPRequest.Method(method)!, body: body.isEmpty ? nil : ByteBuffer(string: body))
      #expect(response.status.code == status)
      let error = try RegistryAPITests.error(response)
      #expect(error.message.contains(reason), "\(error.message)")
    }
  }

  @Test func badRulesAreRefusedWithTheFieldAndTheLine() async throws {
    try await RegistryAPITests.withServer { client in
      let rules = #"{"format":"yaml","content":"retry:\n  maxAttempts: 0\n"}"#
      _ = try await client.execute(uri: "/v1/config/FeedService/default/governance", method: .put, body: ByteBuffer(string: rules))
      let response = try await client.execute(
        uri: "/v1/config/FeedService/default/governance/publish", method: .post, body: ByteBuffer(string: #"{"author":"ana"}"#))
      #expect(response.status == .badRequest)
      let message = try RegistryAPITests.error(response).message
      #expect(message.contains("retry.maxAttempts") && message.contains(":2:"), "\(message)")
    }
  }
}
