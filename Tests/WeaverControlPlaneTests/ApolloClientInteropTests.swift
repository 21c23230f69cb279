import Foundation
import Synchronization
import Testing
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverTestSupport

/// A real Apollo client from PyPI (papollo, through Tests/PythonPeer/apollo_client_check.py)
/// against `weaver server`: it reads a namespace, sees a publish through its long poll, and
/// sees a rollback.
@Suite(.timeLimit(.minutes(2))) struct ApolloClientInteropTests {
  /// A child process whose standard output arrives line by line.
  final class LineProcess: Sendable {
    let process: Process
    let lines: AsyncStream<String>
    private let buffers = Buffers()

    /// What the pipes delivered so far.
    final class Buffers: Sendable {
      let partial = Mutex(Data())
      let errors = Mutex(Data())
    }

    init(_ arguments: [String]) throws {
      process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = arguments
      process.currentDirectoryURL = ExternalTool.packageRoot
      let output = Pipe()
      let errorPipe = Pipe()
      process.standardOutput = output
      process.standardError = errorPipe
      let (lines, continuation) = AsyncStream<String>.makeStream()
      self.lines = lines
      let buffers = self.buffers
      output.fileHandleForReading.readabilityHandler = { handle in
        let chunk = handle.availableData
        if chunk.isEmpty {
          handle.readabilityHandler = nil
          continuation.finish()
          return
        }
        let complete = buffers.partial.withLock { buffer -> [String] in
          buffer.append(chunk)
          var found: [String] = []
          while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            found.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
          }
          return found
        }
        for line in complete { continuation.yield(line) }
      }
      errorPipe.fileHandleForReading.readabilityHandler = { handle in
        let chunk = handle.availableData
        if chunk.isEmpty { handle.readabilityHandler = nil } else { buffers.errors.withLock { $0.append(chunk) } }
      }
      try process.run()
    }

    var standardError: String { buffers.errors.withLock { String(decoding: $0, as: UTF8.self) } }
  }

  static func config(_ line: String) throws -> (event: String, config: [String: String]) {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    return (object["event"] as? String ?? "", object["config"] as? [String: String] ?? [:])
  }

  @Test func papolloReadsFollowsAPublishAndARollback() async throws {
    try await Self.withServer { base, controlPlane in
      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=10\nregion=eu"), author: "ci")

      let client = try LineProcess(["python3", "Tests/PythonPeer/apollo_client_check.py", base, "demo", "application", "--changes", "2", "--timeout", "60"])
      defer { if client.process.isRunning { client.process.terminate() } }
      var lines = client.lines.makeAsyncIterator()
      let initial = try Self.config(try #require(await lines.next(), "papollo printed nothing: \(client.standardError)\nneeds: python3 -m pip install papollo (scripts/install-test-deps)"))
      #expect(initial.event == "initial" && initial.config == ["timeout": "10", "region": "eu"])

      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=30\nregion=eu"), author: "ci")
      let published = try Self.config(try #require(await lines.next(), "\(client.standardError)"))
      #expect(published.event == "change" && published.config["timeout"] == "30", "the publish, seen through the long poll")

      _ = try await controlPlane.rollback(app: "demo", namespace: "application", RollbackRequest(author: "ci"))
      let rolledBack = try Self.config(try #require(await lines.next(), "\(client.standardError)"))
      #expect(rolledBack.event == "change" && rolledBack.config["timeout"] == "10", "the rollback")
      try await ExternalTool.onOwnThread { client.process.waitUntilExit() }
      #expect(client.process.terminationStatus == 0, "\(client.standardError)")
    }
  }

  /// Runs `body` with a `weaver server` process (Apollo's hold cut to 5 s) and a client of it.
  static func withServer(_ extra: [String] = [], _ body: @Sendable (String, ControlPlaneClient) async throws -> Void) async throws {
    let weaver = ExternalTool.productsDirectory.appendingPathComponent("weaver").path
    try await ExternalTool.withTemporaryDirectory { directory in
      try await ExternalTool.withListeningProcess(
        [weaver, "server", "--data-dir", directory.path + "/data", "--listen", "127.0.0.1:0", "--apollo-hold", "5s"] + extra,
        hint: "build it first: swift build --product weaver"
      ) { port in
        let base = "http://127.0.0.1:\(port)"
        try await body(base, ControlPlaneClient(configuration: .init(servers: [base])))
      }
    }
  }

  static func papollo(_ base: String, _ extra: String...) throws -> LineProcess {
    try LineProcess(["python3", "Tests/PythonPeer/apollo_client_check.py", base, "demo", "application", "--timeout", "60"] + extra)
  }

  /// Two papollo clients, one with the label a gray rule selects: only that one sees the
  /// gray release, goes back when it is abandoned, and both see the next main release.
  @Test func papolloWithALabelFollowsAGrayReleaseAndTheOtherNever() async throws {
    try await Self.withServer { base, controlPlane in
      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=10"), author: "ci")
      let canary = try Self.papollo(base, "--label", "canary", "--ip", "10.0.0.9", "--changes", "3")
      let stable = try Self.papollo(base, "--ip", "10.0.0.1", "--changes", "1")
      defer { for client in [canary, stable] where client.process.isRunning { client.process.terminate() } }
      var canaryLines = canary.lines.makeAsyncIterator()
      var stableLines = stable.lines.makeAsyncIterator()
      #expect(try Self.config(try #require(await canaryLines.next(), "\(canary.standardError)")).config == ["timeout": "10"])
      #expect(try Self.config(try #require(await stableLines.next(), "\(stable.standardError)")).config == ["timeout": "10"])

      try await controlPlane.saveDraft(app: "demo", namespace: "application", ConfigDraft(content: "timeout=30"))
      _ = try await controlPlane.publishGray(
        app: "demo", namespace: "application", GrayPublishRequest(rule: GrayRule(labels: ["label": "canary"]), author: "ci"))
      #expect(try Self.config(try #require(await canaryLines.next(), "\(canary.standardError)")).config == ["timeout": "30"], "gray")
      try await controlPlane.abandonGray(app: "demo", namespace: "application", PublishRequest(author: "ci"))
      #expect(try Self.config(try #require(await canaryLines.next(), "\(canary.standardError)")).config == ["timeout": "10"], "abandoned")
      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=20"), author: "ci")
      #expect(try Self.config(try #require(await canaryLines.next(), "\(canary.standardError)")).config == ["timeout": "20"])
      // The stable client's first change is the main release: it never saw the gray one.
      #expect(try Self.config(try #require(await stableLines.next(), "\(stable.standardError)")).config == ["timeout": "20"])
      for client in [canary, stable] {
        try await ExternalTool.onOwnThread { client.process.waitUntilExit() }
        #expect(client.process.terminationStatus == 0, "\(client.standardError)")
      }
    }
  }

  /// An app with access keys: papollo signing with one reads and follows a publish; with a
  /// wrong key or none it is refused (401).
  @Test func papolloSignsWithAnAccessKeyAndAWrongOneIsRefused() async throws {
    let keys = FileManager.default.temporaryDirectory.appendingPathComponent("apollo-keys-\(UUID().uuidString)").path
    try "# app=secret\ndemo=old-secret\ndemo=n3w-secret\n".write(toFile: keys, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: keys) }
    try await Self.withServer(["--apollo-access-keys", keys]) { base, controlPlane in
      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=10"), author: "ci")
      let signed = try Self.papollo(base, "--secret", "n3w-secret", "--changes", "1")
      defer { if signed.process.isRunning { signed.process.terminate() } }
      var lines = signed.lines.makeAsyncIterator()
      #expect(try Self.config(try #require(await lines.next(), "\(signed.standardError)")).config == ["timeout": "10"])
      try await controlPlane.publish(app: "demo", namespace: "application", ConfigDraft(content: "timeout=30"), author: "ci")
      #expect(try Self.config(try #require(await lines.next(), "\(signed.standardError)")).config == ["timeout": "30"], "signed long polls")

      for refused in [try Self.papollo(base, "--secret", "wrong", "--once"), try Self.papollo(base, "--once")] {
        try await ExternalTool.onOwnThread { refused.process.waitUntilExit() }
        #expect(refused.process.terminationStatus == 1 && refused.standardError.contains("401"), "\(refused.standardError)")
      }
      try await ExternalTool.onOwnThread { signed.process.waitUntilExit() }
      #expect(signed.process.terminationStatus == 0, "\(signed.standardError)")
    }
  }
}
