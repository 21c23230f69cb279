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
    let weaver = ExternalTool.productsDirectory.appendingPathComponent("weaver").path
    try await ExternalTool.withTemporaryDirectory { directory in
      try await ExternalTool.withListeningProcess(
        [weaver, "server", "--data-dir", directory.path, "--listen", "127.0.0.1:0", "--apollo-hold", "5s"],
        hint: "build it first: swift build --product weaver"
      ) { port in
        let base = "http://127.0.0.1:\(port)"
        let controlPlane = ControlPlaneClient(configuration: .init(servers: [base]))
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
  }
}
