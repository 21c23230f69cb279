import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WeaverControlPlane

/// Apollo access keys over real sockets, on a fixed clock: signed requests pass with any
/// of an app's keys; unsigned, wrongly signed, stale or re-targeted ones get 401; apps
/// without keys stay open unless reads are protected.
@Suite(.timeLimit(.minutes(1))) struct ApolloAccessKeyTests {
  /// The server's clock: 2026-12-03 12:00:00 UTC.
  static let now = Date(timeIntervalSince1970: 1_796_385_600)
  static let keys = ApolloAccessKeys(secrets: ["demo": ["old-secret", "n3w-secret"]], now: { now })

  /// Apollo's signature headers for `target` (path and query as sent), `skew` off the server's clock.
  static func signed(_ target: String, secret: String, app: String = "demo", skew: TimeInterval = 0) -> HTTPFields {
    let timestamp = String(Int64((now.timeIntervalSince1970 + skew) * 1000))
    let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data("\(timestamp)\n\(target)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
    return [.authorization: "Apollo \(app):\(Data(mac).base64EncodedString())", HTTPField.Name("Timestamp")!: timestamp]
  }

  static func status(_ client: any TestClientProtocol, _ target: String, _ headers: HTTPFields = [:]) async throws -> (Int, String) {
    let response = try await client.execute(uri: target, method: .get, headers: headers)
    let message = response.status == .unauthorized ? try RegistryAPITests.error(response).message : ""
    return (Int(response.status.code), message)
  }

  @Test func signedReadsPassAndTheRestAreRefused() async throws {
    try await RegistryAPITests.withServer(apolloAccessKeys: Self.keys) { client in
      try await ApolloAPITests.publish(client, "demo/default/application", "timeout=10")
      try await ApolloAPITests.publish(client, "open/default/application", "timeout=10")
      let configs = "/configs/demo/default/application?ip=10.0.0.7"
      #expect(try await Self.status(client, configs, Self.signed(configs, secret: "old-secret")).0 == 200)
      #expect(try await Self.status(client, configs, Self.signed(configs, secret: "n3w-secret")).0 == 200, "any of the app's keys")
      let files = "/configfiles/json/demo/default/application"
      #expect(try await Self.status(client, files, Self.signed(files, secret: "n3w-secret")).0 == 200)
      let poll = ApolloAPITests.notifications("application", -1)
      #expect(try await Self.status(client, poll, Self.signed(poll, secret: "n3w-secret")).0 == 200, "long polls are signed too")

      let refusals: [(String, HTTPFields, String)] = [
        (configs, [:], "needs signed requests"),
        (configs, Self.signed(configs, secret: "guess"), "does not match"),
        (configs, Self.signed("/configs/demo/default/application", secret: "n3w-secret"), "does not match"),  // signed without the query
        (configs, Self.signed(configs, secret: "n3w-secret", skew: -61), "away from the server's clock"),
        (configs, Self.signed(configs, secret: "n3w-secret", app: "open"), "must be Apollo demo:"),
        (poll, [:], "needs signed requests"),
        (files, [.authorization: "Apollo demo:not base64!"], "must be Apollo demo:"),
      ]
      for (target, headers, reason) in refusals {
        let (status, message) = try await Self.status(client, target, headers)
        #expect(status == 401 && message.contains(reason), "\(target) \(headers): \(status) \(message)")
      }
      #expect(try await Self.status(client, "/configs/open/default/application").0 == 200, "an app without keys is open")
    }
  }

  @Test func protectedReadsNeedAKeyForEveryAppAndNoBearerToken() async throws {
    try await RegistryAPITests.withServer(tokens: ["t0ken"], protectReads: true, apolloAccessKeys: Self.keys) { client in
      let write: HTTPFields = [.authorization: "Bearer t0ken"]
      for app in ["demo", "open"] {
        _ = try await client.execute(uri: "/v1/config/\(app)/default/application", method: .put, headers: write, body: ByteBuffer(string: #"{"content":"a=1"}"#))
        _ = try await client.execute(uri: "/v1/config/\(app)/default/application/publish", method: .post, headers: write, body: ByteBuffer(string: #"{"author":"ci"}"#))
      }
      let configs = "/configs/demo/default/application"
      #expect(try await Self.status(client, configs, Self.signed(configs, secret: "old-secret")).0 == 200, "an Apollo client sends no bearer token")
      let (status, message) = try await Self.status(client, "/configs/open/default/application")
      #expect(status == 401 && message.contains("needs an access key"), "\(message)")
      #expect(try await Self.status(client, "/v1/config/demo/default/application").0 == 401, "our own API still wants the token")
    }
  }

  @Test func theKeyFileIsAppEqualsSecretLines() throws {
    #expect(try ApolloAccessKeys.parse("# keys\ndemo=a\n\ndemo = b\r\nfeed=c=d\n") == ["demo": ["a", "b"], "feed": ["c=d"]])
    #expect(throws: APIError.self) { try ApolloAccessKeys.parse("demo\n") }
    #expect(throws: APIError.self) { try ApolloAccessKeys.parse("=secret\n") }
  }
}
