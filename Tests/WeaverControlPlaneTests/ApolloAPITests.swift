import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Apollo's client protocol over real sockets: what an Apollo client asks and gets.
@Suite(.timeLimit(.minutes(1))) struct ApolloAPITests {
  /// Writes and publishes `content` to `app/cluster/namespace` through our own API.
  static func publish(_ client: any TestClientProtocol, _ path: String, _ content: String, format: String = "properties") async throws {
    let draft = try JSONSerialization.data(withJSONObject: ["format": format, "content": content])
    #expect(try await client.execute(uri: "/v1/config/\(path)", method: .put, body: ByteBuffer(bytes: draft)).status == .ok)
    let published = try await client.execute(uri: "/v1/config/\(path)/publish", method: .post, body: ByteBuffer(string: #"{"author":"ci"}"#))
    #expect(published.status == .ok)
  }

  static func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
  }

  static func notifications(_ namespace: String, _ id: Int) -> String {
    let list = #"[{"namespaceName":"\#(namespace)","notificationId":\#(id)}]"#
    return "/notifications/v2?appId=demo&cluster=default&notifications=" + list.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
  }

  @Test func configsWithReleaseKeysFallbackAndFormats() async throws {
    try await RegistryAPITests.withServer { client in
      try await Self.publish(client, "demo/default/application", "timeout=10\nregion=eu")
      let configs = try await client.execute(uri: "/configs/demo/default/application", method: .get)
      let body = try Self.object(configs)
      #expect(body["appId"] as? String == "demo" && body["cluster"] as? String == "default" && body["namespaceName"] as? String == "application")
      #expect(body["configurations"] as? [String: String] == ["timeout": "10", "region": "eu"])
      let releaseKey = try #require(body["releaseKey"] as? String)
      #expect(try await client.execute(uri: "/configs/demo/default/application?releaseKey=\(releaseKey)", method: .get).status == .notModified)
      // An unknown cluster falls back to default.
      #expect(try Self.object(try await client.execute(uri: "/configs/demo/canary-cluster/application", method: .get))["cluster"] as? String == "default")
      #expect(try await client.execute(uri: "/configs/demo/default/missing", method: .get).status == .notFound)
      // A YAML namespace asked for as Apollo names it, with its extension: the text as content.
      try await Self.publish(client, "demo/default/routes", "a: 1\n", format: "yaml")
      let yaml = try Self.object(try await client.execute(uri: "/configs/demo/default/routes.yaml", method: .get))
      #expect(yaml["configurations"] as? [String: String] == ["content": "a: 1\n"])
      let flat = try await client.execute(uri: "/configfiles/json/demo/default/application", method: .get)
      #expect(try JSONSerialization.jsonObject(with: Data(flat.body.readableBytesView)) as? [String: String] == ["timeout": "10", "region": "eu"])
      let meta = try await client.execute(uri: "/services/config", method: .get)
      let services = try #require(try JSONSerialization.jsonObject(with: Data(meta.body.readableBytesView)) as? [[String: String]])
      #expect(services.first?["homepageUrl"]?.hasPrefix("http://") == true)
    }
  }

  @Test func notificationsAnswerAtOnceHoldThenAnswerOrTimeOut() async throws {
    try await RegistryAPITests.withServer(apolloHold: .milliseconds(300)) { client in
      try await Self.publish(client, "demo/default/application", "timeout=10")
      let first = try await client.execute(uri: Self.notifications("application", -1), method: .get)
      let list = try #require(try JSONSerialization.jsonObject(with: Data(first.body.readableBytesView)) as? [[String: Any]])
      let id = try #require(list.first?["notificationId"] as? Int)
      #expect((list.first?["messages"] as? [String: Any])?["details"] as? [String: Int] == ["demo+default+application": id])
      // Up to date: held, then 304.
      #expect(try await client.execute(uri: Self.notifications("application", id), method: .get).status == .notModified)
      // A publish while it is held answers it with the new id.
      try await RegistryAPITests.withServer(apolloHold: .seconds(30)) { held in
        try await Self.publish(held, "demo/default/application", "timeout=10")
        let heldFirst = try await held.execute(uri: Self.notifications("application", -1), method: .get)
        let heldID = try #require((try JSONSerialization.jsonObject(with: Data(heldFirst.body.readableBytesView)) as? [[String: Any]])?.first?["notificationId"] as? Int)
        async let waiting = RegistryAPITests.onOwnConnection(held) { try await $0.get(Self.notifications("application", heldID)) }
        try await Self.publish(held, "demo/default/application", "timeout=30")
        let changed = try #require(try JSONSerialization.jsonObject(with: try await waiting) as? [[String: Any]])
        #expect((changed.first?["notificationId"] as? Int ?? 0) > heldID)
      }
      let malformed = try await client.execute(uri: "/notifications/v2?appId=demo&notifications=nope", method: .get)
      #expect(malformed.status == .badRequest)
      // As Python's json.dumps and a form encoder send it: spaces as '+'.
      let formEncoded = "/notifications/v2?appId=demo&cluster=default&notifications=%5B%7B%22namespaceName%22%3A+%22application%22%2C+%22notificationId%22%3A+-1%7D%5D"
      #expect(try await client.execute(uri: formEncoded, method: .get).status == .ok)
    }
  }
}
