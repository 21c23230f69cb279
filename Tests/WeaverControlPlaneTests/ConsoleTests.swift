import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WeaverControlPlane
import WeaverControlPlaneModels
import WeaverStore

/// The console over real sockets, below the browser: who may see and change what, that
/// everything shown is escaped, that changes land (and are audited) the same as through the
/// API, and the live-update stream.
@Suite(.timeLimit(.minutes(2))) struct ConsoleTests {
  static func withServer(
    tokens: [String] = [], protectReads: Bool = false, _ body: @Sendable (ControlPlaneServer, any TestClientProtocol) async throws -> Void
  ) async throws {
    try await TemporaryStore.with { store in
      let server = ControlPlaneServer(store: store, configuration: .init(port: 0, tokens: tokens, protectReads: protectReads))
      let application = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
      try await application.test(.live) { client in try await body(server, client) }
    }
  }

  static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

  static func form(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { "\($0.0)=\(ConsoleLinks.query($0.1))" }.joined(separator: "&"))
  }

  static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]


  /// Signs in as `name`; returns the session cookie for later requests.
  static func signIn(_ client: any TestClientProtocol, name: String, token: String) async throws -> HTTPFields {
    let response = try await client.execute(
      uri: "/console/login", method: .post, headers: formHeaders, body: form([("name", name), ("token", token), ("next", "/console/config")]))
    #expect(response.status == .seeOther && response.headers[.location] == "/console/config")
    let cookie = try #require(response.headers[.setCookie])
    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
    return [.cookie: String(cookie.prefix { $0 != ";" })]
  }

  @Test func writesNeedASessionAndReadsOnlyWhenProtected() async throws {
    try await Self.withServer(tokens: ["s3cret"]) { server, client in
      _ = try await server.registry.register(service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 1, id: "a", ephemeral: false))
      #expect(try await client.execute(uri: "/console/services", method: .get).status == .ok, "reads are open unless protected")
      let refused = try await client.execute(
        uri: "/console/services/Feed/instances/a/isolation", method: .post, headers: Self.formHeaders, body: Self.form([("isolated", "true")]))
      #expect(refused.status == .seeOther && refused.headers[.location]?.hasPrefix("/console/login?next=") == true)
      #expect(try await server.registry.instances(service: "Feed").instances.first?.isolated == false)

      let wrong = try await client.execute(
        uri: "/console/login", method: .post, headers: Self.formHeaders, body: Self.form([("name", "eve"), ("token", "guess")]))
      #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)

      let session = try await Self.signIn(client, name: "ana", token: "s3cret")
      let isolated = try await client.execute(
        uri: "/console/services/Feed/instances/a/isolation", method: .post, headers: session + Self.formHeaders,
        body: Self.form([("isolated", "true")]))
      #expect(isolated.status == .seeOther)
      #expect(try await server.registry.instances(service: "Feed").instances.first?.isolated == true)
      #expect(try await server.registry.instances(service: "Feed", filter: InstanceFilter(healthyOnly: true)).instances.isEmpty)
      let entries = try await server.audit.entries()
      #expect(entries.first.map { [$0.actor, $0.action, $0.target] } == ["ana", "isolate", "Feed/a"])

      // A session does not open the API: its bearer token rule is unchanged.
      #expect(try await client.execute(uri: "/v1/services/Feed/instances/a/isolation", method: .put, headers: session, body: ByteBuffer(string: #"{"isolated":false}"#)).status == .unauthorized)
    }
    try await Self.withServer(tokens: ["s3cret"], protectReads: true) { _, client in
      let page = try await client.execute(uri: "/console/audit?q=x", method: .get)
      #expect(page.status == .seeOther && page.headers[.location] == "/console/login?next=%2Fconsole%2Faudit%3Fq%3Dx")
      #expect(try await client.execute(uri: "/console/assets/console.css", method: .get).status == .ok, "the sign-in page needs its style")
    }
  }

  @Test func aChangeFromAnotherSiteIsRefusedAndSignInNeverRedirectsAway() async throws {
    try await Self.withServer { server, client in
      _ = try await server.registry.register(service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 1, id: "a", ephemeral: false))
      var headers = Self.formHeaders
      headers[.origin] = "http://evil.example"
      let forged = try await client.execute(
        uri: "/console/services/Feed/instances/a/isolation", method: .post, headers: headers, body: Self.form([("isolated", "true")]))
      #expect(forged.status == .forbidden)
      #expect(try await server.registry.instances(service: "Feed").instances.first?.isolated == false)

      for next in ["https://evil.example/console", "//evil.example/console", "/console//evil.example", "/v1/services", "/console\\@evil"] {
        let response = try await client.execute(
          uri: "/console/login", method: .post, headers: Self.formHeaders, body: Self.form([("name", "ana"), ("next", next)]))
        #expect(response.headers[.location] == "/console/services", "\(next)")
      }
    }
  }

  @Test func everythingShownIsEscaped() async throws {
    try await Self.withServer { server, client in
      let hostile = #"<script>alert("x")</script>"#
      _ = try await server.registry.register(
        service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 1, id: "a", labels: ["note": hostile], ephemeral: false))
      _ = try await server.config.saveDraft(app: "Feed", cluster: "default", namespace: "application", ConfigDraft(format: .text, content: hostile))
      _ = try await server.config.publish(app: "Feed", cluster: "default", namespace: "application", PublishRequest(author: hostile, comment: hostile))
      for uri in ["/console/services/Feed", "/console/config/Feed/default/application", "/console/audit"] {
        let page = try await client.execute(uri: uri, method: .get)
        #expect(page.status == .ok, "\(uri)")
        #expect(!Self.text(page).contains("<script>alert"), "\(uri) shows markup from the store")
        #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
      }
      #expect(Self.text(try await client.execute(uri: "/console/services/Feed", method: .get)).contains("&lt;script&gt;alert(&quot;x&quot;)"))
    }
  }

  @Test func governanceProblemsAreShownAtTheirLinesAndNothingIsPublished() async throws {
    try await Self.withServer { server, client in
      let broken = "retry:\n  maxAttempts: 3\ncircuitBreaker:\n  failureRateThreshold: 160%\n"
      let page = try await client.execute(
        uri: "/console/governance/Feed/default", method: .post, headers: Self.formHeaders, body: Self.form([("content", broken), ("intent", "publish")]))
      #expect(page.status == .badRequest)
      let html = Self.text(page)
      #expect(html.contains(##"<a href="#L4">line 4, column"##) && html.contains("not a percentage"))
      #expect(html.contains(#"<tr id="L4" class="marked">"#))
      await #expect(throws: ConfigError.self) { try await server.config.state(app: "Feed", cluster: "default", namespace: "governance") }

      let fixed = try await client.execute(
        uri: "/console/governance/Feed/default", method: .post, headers: Self.formHeaders,
        body: Self.form([("content", "retry:\r\n  maxAttempts: 3\r\n"), ("intent", "publish"), ("comment", "three")]))
      #expect(fixed.status == .seeOther)
      let state = try await server.config.state(app: "Feed", cluster: "default", namespace: "governance")
      #expect(state.current?.content == "retry:\n  maxAttempts: 3\n" && state.current?.comment == "three")
      #expect(try await server.audit.entries().first?.action == "rules: publish")
      let shown = Self.text(try await client.execute(uri: "/console/governance/Feed/default", method: .get))
      #expect(shown.contains("maxAttempts: 3   # set"), "the effective rules")
    }
  }

  @Test func configPublishRollbackAndDiffThroughTheForms() async throws {
    try await Self.withServer { server, client in
      let base = "/console/config/Feed/default/application"
      for (content, comment) in [("a=1\nb=2\n", "first"), ("a=1\nb=3\nc=4\n", "second")] {
        let response = try await client.execute(
          uri: base, method: .post, headers: Self.formHeaders,
          body: Self.form([("format", "properties"), ("content", content), ("comment", comment), ("intent", "publish")]))
        #expect(response.status == .seeOther)
      }
      let invalid = try await client.execute(
        uri: base, method: .post, headers: Self.formHeaders, body: Self.form([("content", "not a property line"), ("intent", "publish")]))
      #expect(invalid.status == .badRequest && Self.text(invalid).contains("expected key=value"))
      let diff = Self.text(try await client.execute(uri: base + "/diff?from=1&to=2", method: .get))
      #expect(diff.contains(#"<tr class="changed"><td class="num">2</td><td><code>b=2</code></td><td class="num">2</td><td><code>b=3</code>"#))
      #expect(diff.contains(#"<tr class="added">"#))
      let rollback = try await client.execute(uri: base + "/rollback", method: .post, headers: Self.formHeaders, body: Self.form([("to", "1")]))
      #expect(rollback.status == .seeOther)
      let state = try await server.config.state(app: "Feed", cluster: "default", namespace: "application")
      #expect(state.current?.number == 3 && state.current?.kind == "rollback" && state.current?.content == "a=1\nb=2\n")
      #expect(try await server.audit.entries().map(\.action).prefix(3) == ["rollback", "save draft", "publish"], "the refused publish kept what was typed as the draft")
    }
  }

  @Test func theLiveStreamTellsOfEachChange() async throws {
    try await TemporaryStore.with { store in
      let server = ControlPlaneServer(store: store, configuration: .init(port: 0))
      let start = try await store.revision()
      let changes = try await ConsoleEvents(store: store).changes(from: start + 1)
      var iterator = changes.makeAsyncIterator()
      _ = try await server.registry.register(service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 1, id: "a", ephemeral: false))
      let revision = try #require(await iterator.next())
      #expect(revision > start)
    }
  }

  @Test func sideBySideDiffPairsChangedLines() {
    let rows = LineDiff.rows("a\nb\nc\nd", "a\nB\nc\nd\ne")
    #expect(rows.map(\.kind) == [.same, .changed, .same, .same, .added])
    #expect(rows[1].left == "b" && rows[1].right == "B" && rows[4].rightNumber == 5 && rows[4].leftNumber == nil)
    #expect(LineDiff.rows("x\ny", "y").map(\.kind) == [.removed, .same])
    #expect(LineDiff.rows("", "").isEmpty)
  }
}
