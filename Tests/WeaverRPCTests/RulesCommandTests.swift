import Foundation
import Testing
import WeaverTestSupport

/// `weaver rules check|explain|schema` as a user runs them.
@Suite struct RulesCommandTests {
  let cli = CommandLineTests()

  @Test func checkPrintsEveryProblemLikeACompilerAndFails() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      let good = directory.appendingPathComponent("good.yaml").path
      let bad = directory.appendingPathComponent("bad.yaml").path
      try "circuitBreaker:\n  failureRateThreshold: 60%\n  minimumRequestThreshold: 20\n  waitDurationInOpenState: 60s\n"
        .write(toFile: good, atomically: true, encoding: .utf8)
      try "circuitBreaker:\n  minimumRequestThreshold: 20\n  failureRateThreshold: 160%\nretyr: {}\n".write(toFile: bad, atomically: true, encoding: .utf8)
      let (okStatus, okOutput) = try await cli.weaver(["rules", "check", good])
      #expect(okStatus == 0)
      #expect(okOutput.contains("\(good): ok"))
      let (status, output) = try await cli.weaver(["rules", "check", good, bad])
      #expect(status == 1)
      #expect(output.contains("\(bad):3:25: error: circuitBreaker.failureRateThreshold: 160% is not a percentage"), "\(output)")
      #expect(output.contains("\(bad):4:1: error: retyr: unknown key (did you mean 'retry'?)"), "\(output)")
    }
  }

  @Test func explainShowsTheRulesInForceForOneMethod() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      let file = directory.appendingPathComponent("service.yaml").path
      try "service: FeedService\nretry: {maxAttempts: 3}\nmethods:\n  postFeed:\n    retry: {maxAttempts: 1}\n"
        .write(toFile: file, atomically: true, encoding: .utf8)
      let (status, output) = try await cli.weaver(["rules", "explain", file, "FeedService", "postFeed"])
      #expect(status == 0, "\(output)")
      #expect(output.contains("  maxAttempts: 1   # set"), "\(output)")
      let (_, other) = try await cli.weaver(["rules", "explain", file, "FeedService", "getFeed"])
      #expect(other.contains("  maxAttempts: 3   # set"), "\(other)")
      #expect(other.contains("(no override for this method)"))
      let (wrongStatus, wrong) = try await cli.weaver(["rules", "explain", file, "UserService", "get"])
      #expect(wrongStatus != 0)
      #expect(wrong.contains("holds the rules of FeedService, not UserService"), "\(wrong)")
    }
  }

  @Test func schemaPrintsTheCommittedSchema() async throws {
    let (status, output) = try await cli.weaver(["rules", "schema"])
    #expect(status == 0)
    let committed = try String(contentsOf: ExternalTool.packageRoot.appendingPathComponent("docs/governance.schema.json"), encoding: .utf8)
    #expect(output == committed)
  }
}
