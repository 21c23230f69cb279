import Foundation
import Testing
import WeaverRPC
import WeaverSamples
import WeaverTestSupport

/// The README's and docs' Swift samples are the code in `Examples/Samples`, which the build
/// compiles: every `<!-- snippet: NAME -->` block on a page must match the region between
/// `// snippet: NAME` and `// end-snippet` there, so a sample cannot rot.
@Suite struct DocSnippetTests {
  static let pages = ["README.md", "docs/runtime.md", "docs/governance.md", "docs/control-plane.md", "docs/observability.md", "docs/redis.md"]

  /// Every snippet region in the samples' sources, by name, dedented.
  static func sourceSnippets() throws -> [String: String] {
    let directory = ExternalTool.packageRoot.appendingPathComponent("Examples/Samples")
    var snippets: [String: String] = [:]
    for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".swift") {
      let lines = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8).components(separatedBy: "\n")
      var name: String?
      var body: [String] = []
      for line in lines {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("// snippet: ") {
          name = String(trimmed.dropFirst("// snippet: ".count))
          body = []
        } else if trimmed == "// end-snippet", let current = name {
          snippets[current] = dedent(body)
          name = nil
        } else if name != nil {
          body.append(line)
        }
      }
    }
    return snippets
  }

  /// Every `<!-- snippet: NAME -->` fenced block on `page`, by name.
  static func pageSnippets(_ page: String) throws -> [String: String] {
    let lines = try String(contentsOf: ExternalTool.packageRoot.appendingPathComponent(page), encoding: .utf8).components(separatedBy: "\n")
    var snippets: [String: String] = [:]
    var index = 0
    while index < lines.count {
      let line = lines[index]
      if line.hasPrefix("<!-- snippet: "), line.hasSuffix(" -->") {
        let name = String(line.dropFirst("<!-- snippet: ".count).dropLast(" -->".count))
        guard index + 1 < lines.count, lines[index + 1] == "```swift" else {
          snippets[name] = "(no ```swift block right after the marker)"
          index += 1
          continue
        }
        var body: [String] = []
        index += 2
        while index < lines.count, lines[index] != "```" {
          body.append(lines[index])
          index += 1
        }
        snippets[name] = dedent(body)
      }
      index += 1
    }
    return snippets
  }

  static func dedent(_ lines: [String]) -> String {
    let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
    return lines.map { String($0.dropFirst(min(indent, $0.prefix(while: { $0 == " " }).count))) }.joined(separator: "\n")
  }

  @Test(arguments: pages)
  func everySampleOnThePageIsCompiledCode(page: String) throws {
    let pageSnippets = try Self.pageSnippets(page)
    let sources = try Self.sourceSnippets()
    let shown = pageSnippets
    #expect(!shown.isEmpty, "\(page) marks its samples with <!-- snippet: NAME -->")
    for (name, text) in shown {
      let source = try #require(sources[name], "\(page): no snippet '\(name)' in Examples/Samples")
      #expect(text == source, "\(page): sample '\(name)' differs from Examples/Samples; paste it from there")
    }
  }

  @Test func theReadmeSampleAnswers() async throws {
    try await withServer([ReadmeSample.calculatorService]) { _, port in
      let quotient = try await ReadmeSample.divide(at: "127.0.0.1:\(port)")
      #expect(quotient == 42)
    }
  }
}
