import Foundation
import Testing
import WeaverTestSupport

/// `weaver ctl` as a user runs it, against a real `weaver server` process: what it prints
/// and the exit status scripts rely on.
@Suite(.timeLimit(.minutes(2))) struct CtlCommandTests {
  static var weaver: String { ExternalTool.productsDirectory.appendingPathComponent("weaver").path }

  /// Runs `weaver ctl ARGUMENTS` against `server`; its status, standard output and error.
  static func ctl(_ server: String, _ arguments: String...) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: weaver)
    process.arguments = ["ctl"] + arguments
    process.environment = ["WEAVER_SERVER": server, "USER": "ci"]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  @Test func configLifeCycleRulesAndRegistryFromTheCommandLine() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      try await ExternalTool.withListeningProcess(
        [Self.weaver, "server", "--data-dir", directory.path, "--listen", "127.0.0.1:0"], hint: "build it first: swift build --product weaver"
      ) { port in
        let server = "http://127.0.0.1:\(port)"
        try await ExternalTool.onOwnThread {
          #expect(try Self.ctl(server, "config", "set", "demo/application", "timeout", "30").status == 0)
          #expect(try Self.ctl(server, "config", "publish", "demo/application", "--comment", "longer timeout").output.contains("release 1"))
          _ = try Self.ctl(server, "config", "set", "demo/application", "timeout", "60")
          _ = try Self.ctl(server, "config", "publish", "demo/application")
          #expect(try Self.ctl(server, "config", "get", "demo/application").output == "timeout=60\n")
          #expect(try Self.ctl(server, "config", "diff", "demo/application").output == "~ timeout: 30 → 60\n")
          #expect(try Self.ctl(server, "config", "rollback", "demo/application").output.contains("brings back release 1"))
          let history = try Self.ctl(server, "config", "history", "demo/default/application", "--json")
          let releases = try #require(try JSONSerialization.jsonObject(with: Data(history.output.utf8)) as? [[String: Any]])
          #expect(releases.compactMap { $0["number"] as? Int } == [3, 2, 1])
          #expect(releases.last?["author"] as? String == "ci" && releases.last?["comment"] as? String == "longer timeout")

          // Gray: to the canaries first, seen as a canary sees it, then to everyone.
          _ = try Self.ctl(server, "config", "set", "demo/application", "timeout", "45")
          let gray = try Self.ctl(server, "config", "gray", "demo/application", "--label", "release=canary", "--percentage", "10")
          #expect(gray.output == "gray release 4 of demo/default/application beside release 3\n", "\(gray)")
          #expect(try Self.ctl(server, "config", "get", "demo/application", "--label", "release=canary").output == "timeout=45\n")
          #expect(try Self.ctl(server, "config", "get", "demo/application").output == "timeout=30\n")
          #expect(try Self.ctl(server, "config", "gray", "demo/application", "--promote").output.contains("release 5 promotes gray release 4"))
          #expect(try Self.ctl(server, "config", "get", "demo/application").output == "timeout=45\n")
          let noGray = try Self.ctl(server, "config", "gray", "demo/application", "--abandon")
          #expect(noGray.status == 2 && noGray.errors.contains("no gray release"))
          #expect(try Self.ctl(server, "config", "gray", "demo/application").status == 64, "a rule, --promote or --abandon")

          let missing = try Self.ctl(server, "config", "get", "demo/none")
          #expect(missing.status == 2 && missing.errors.contains("no namespace"))

          let rules = directory.appendingPathComponent("rules.yaml").path
          try "retry:\n  maxAttempts: 0\n".write(toFile: rules, atomically: true, encoding: .utf8)
          let local = try Self.ctl(server, "rules", "validate", rules, "--service", "Feed")
          #expect(local.status == 1 && local.errors.contains("retry.maxAttempts"))
          let refused = try Self.ctl(server, "rules", "publish", rules, "--service", "Feed")
          #expect(refused.status == 1 && refused.errors.contains(":2:16: error: retry.maxAttempts"))
          try "retry:\n  maxAttempts: 3\n".write(toFile: rules, atomically: true, encoding: .utf8)
          #expect(try Self.ctl(server, "rules", "publish", rules, "--service", "Feed").status == 0)

          #expect(try Self.ctl(server, "services").output == "SERVICE  INSTANCES  HEALTHY\n")
          #expect(try Self.ctl("http://127.0.0.1:1", "services").status == 3, "unreachable")
          #expect(try Self.ctl(server, "config", "get", "not-a-namespace").status == 64, "usage")
        }
      }
    }
  }
}
