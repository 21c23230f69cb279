import Foundation
import Testing
import WeaverGovernance

/// The docs show the rule format as the code reads it: the field table in
/// docs/governance.md and docs/governance.schema.json are what `weaver rules schema`
/// prints (`--markdown` for the table). Regenerate them with it when a field changes.
@Suite struct RuleReferenceDocsTests {
  static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs")

  @Test func theSchemaFileIsCurrent() throws {
    let file = try String(contentsOf: Self.docs.appendingPathComponent("governance.schema.json"), encoding: .utf8)
    #expect(file == RuleReference.jsonSchema(), "regenerate: swift run weaver rules schema > docs/governance.schema.json")
  }

  @Test func theFieldTableIsCurrent() throws {
    let page = try String(contentsOf: Self.docs.appendingPathComponent("governance.md"), encoding: .utf8)
    let begin = try #require(page.range(of: "<!-- rule-fields:begin -->\n"))
    let end = try #require(page.range(of: "<!-- rule-fields:end -->"))
    let table = String(page[begin.upperBound..<end.lowerBound])
    #expect(table == RuleReference.markdownTable() + "\n", "regenerate: swift run weaver rules schema --markdown")
  }

  @Test func everyFieldHasADocLine() {
    for field in RuleReference.fields() {
      #expect(!field.doc.isEmpty, "\(field.path) has no doc")
    }
  }
}
