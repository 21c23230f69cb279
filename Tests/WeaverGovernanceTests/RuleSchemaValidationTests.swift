import Foundation
import Testing
import WeaverGovernance
import WeaverTestSupport

/// The published JSON Schema, checked by a real validator (Python's `jsonschema`) against
/// the rule files this repository ships and against broken ones: what our parser accepts
/// the schema accepts, and the other way round.
@Suite struct RuleSchemaValidationTests {
  static let valid = [
    "Benchmarks/governance-bench.yaml",
    "Tests/WeaverGovernanceTests/RuleFiles/every-concern.yaml",
  ]
  static let invalid = [
    "Tests/WeaverGovernanceTests/RuleFiles/unknown-key.yaml",
    "Tests/WeaverGovernanceTests/RuleFiles/not-a-percentage.yaml",
  ]

  @Test func jsonschemaAndOurParserAgreeOnEveryFile() async throws {
    let output = try await ExternalTool.run(
      ["python3", "Tests/PythonPeer/validate_rules.py", "docs/governance.schema.json"] + Self.valid + Self.invalid,
      hint: "needs Python's jsonschema and pyyaml: python3 -m pip install jsonschema pyyaml (scripts/install-test-deps)")
    let verdicts = Dictionary(uniqueKeysWithValues: output.split(separator: "\n").map { line in
      let parts = line.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
      return (parts[0], parts.count > 1 ? parts[1] : "")
    })
    for file in Self.valid {
      #expect(verdicts[file] == "ok", "\(file): \(verdicts[file] ?? "not checked")")
      let text = try String(contentsOf: ExternalTool.packageRoot.appendingPathComponent(file), encoding: .utf8)
      #expect(throws: Never.self, "\(file) parses") { try RuleDocument(parsing: text, file: file) }
    }
    for file in Self.invalid {
      #expect(verdicts[file]?.hasPrefix("invalid") == true, "\(file): \(verdicts[file] ?? "not checked")")
      let text = try String(contentsOf: ExternalTool.packageRoot.appendingPathComponent(file), encoding: .utf8)
      #expect(throws: RuleSetError.self, "\(file) is rejected by our parser too") { try RuleDocument(parsing: text, file: file) }
    }
  }
}
