import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WeaverControlPlane
import WeaverControlPlaneModels
import WeaverTestSupport

/// The web console in a real browser: Debian's Chromium, headless, driven by Playwright
/// (Tests/Browser/console_walkthrough.py) against a live `weaver server` with a token and
/// protected reads: sign in, isolate an instance, see a new one appear live, publish and
/// find it in history, diff, roll back, break a rule and see the error at its line, read
/// the audit log. Screenshots land in `.build/test-output/console/`.
@Suite(.timeLimit(.minutes(3))) struct ConsoleBrowserTests {
  static let outputDirectory = ExternalTool.packageRoot.appendingPathComponent(".build/test-output/console")

  @Test func aPersonWalksThroughTheConsole() async throws {
    try await TemporaryStore.with { store in
      let token = "walkthrough-token"
      let server = ControlPlaneServer(store: store, configuration: .init(port: 0, tokens: [token], protectReads: true))
      try await Self.seed(server)
      let application = Application(router: server.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
      try await application.test(.live) { client in
        let port = try #require(client.port)
        let output = try await ExternalTool.run(
          [
            "python3", "Tests/Browser/console_walkthrough.py", "--base", "http://127.0.0.1:\(port)", "--token", token, "--out",
            Self.outputDirectory.path, "--trace", Self.walkthroughTrace,
          ],
          hint: "needs Playwright for python3 and Debian's Chromium: scripts/install-test-deps installs both")
        #expect(output.contains("console walkthrough passed"), "\(output)")
      }
      for name in ["services", "config", "diff", "governance-error", "audit", "traffic", "request"] {
        #expect(FileManager.default.fileExists(atPath: Self.outputDirectory.appendingPathComponent("\(name).png").path), "screenshot \(name)")
      }
    }
  }

  /// What the walkthrough finds: two instances of FeedService (one canary), a published
  /// namespace, published rules.
  static func seed(_ server: ControlPlaneServer) async throws {
    for (id, port, region, tag) in [("feed-1", 9101, "us-east", "stable"), ("feed-2", 9102, "us-east", "canary")] {
      _ = try await server.registry.register(
        service: "FeedService",
        InstanceRegistration(host: "127.0.0.1", port: port, id: id, region: region, zone: region + "-1a", releaseTag: tag, ephemeral: false))
    }
    _ = try await server.config.saveDraft(
      app: "FeedService", cluster: "default", namespace: "application", ConfigDraft(format: .properties, content: "feed.pageSize=20\nfeed.title=Today\n"))
    _ = try await server.config.publish(app: "FeedService", cluster: "default", namespace: "application", PublishRequest(author: "seed", comment: "initial"))
    _ = try await server.config.saveDraft(
      app: "FeedService", cluster: "default", namespace: "governance", ConfigDraft(format: .yaml, content: "retry:\n  maxAttempts: 2\n"))
    _ = try await server.config.publish(app: "FeedService", cluster: "default", namespace: "governance", PublishRequest(author: "seed", comment: "defaults"))
    // A request through the gateway to the feed service, as their exporters send it, and a
    // log line of it.
    let now = UInt64(Date().timeIntervalSince1970 * 1e9)
    let start = now - 2_000_000_000
    let (root, call, served) = ("00f067aa0ba902b7", "00f067aa0ba902b8", "00f067aa0ba902b9")
    let rpc = ["rpc.service": "FeedService", "rpc.method": "getFeed"]
    try server.telemetry.ingestTraces(
      try TelemetryStoreTests.export(service: "gateway", [
        TelemetryStoreTests.span(root, name: "GET /feed", kind: 2, start: start, end: start + 9_000_000, trace: walkthroughTrace),
        TelemetryStoreTests.span(
          call, parent: root, name: "FeedService/getFeed", kind: 3, start: start + 1_000_000, end: start + 8_000_000, attributes: rpc,
          trace: walkthroughTrace),
      ]))
    try server.telemetry.ingestTraces(
      try TelemetryStoreTests.export(service: "FeedService", [
        TelemetryStoreTests.span(
          served, parent: call, name: "FeedService/getFeed", kind: 2, start: start + 2_000_000, end: start + 7_000_000, error: true,
          attributes: rpc, trace: walkthroughTrace)
      ]))
    let log: [String: Any] = [
      "resourceLogs": [[
        "resource": ["attributes": [["key": "service.name", "value": ["stringValue": "FeedService"]]]],
        "scopeLogs": [["logRecords": [
          ["timeUnixNano": String(start + 3_000_000), "severityText": "ERROR", "body": ["stringValue": "injected fault: abort"], "traceId": walkthroughTrace]
        ]]],
      ]]
    ]
    try server.telemetry.ingestLogs(try JSONSerialization.data(withJSONObject: log))
  }

  static let walkthroughTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
}
