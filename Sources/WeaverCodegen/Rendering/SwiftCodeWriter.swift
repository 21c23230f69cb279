/// Builds Swift source text with consistent two-space indentation: the one place generated
/// code gets its layout.
struct SwiftCodeWriter {
  private(set) var text = ""
  private var indentation = 0

  /// Writes one line at the current indentation (an empty string writes a blank line).
  mutating func line(_ content: String = "") {
    if content.isEmpty {
      text += "\n"
    } else {
      text += String(repeating: "  ", count: indentation) + content + "\n"
    }
  }

  /// Writes `opening {`, the body one level deeper, then `}` plus `closingSuffix`. A body
  /// that writes nothing gives `opening {}` on one line.
  mutating func block(_ opening: String, closingSuffix: String = "", _ body: (inout SwiftCodeWriter) -> Void) {
    line(opening + " {")
    let lengthBeforeBody = text.utf8.count
    indentation += 1
    body(&self)
    indentation -= 1
    if text.utf8.count == lengthBeforeBody {
      text.removeLast()
      text += "}" + closingSuffix + "\n"
    } else {
      line("}" + closingSuffix)
    }
  }

  /// Writes `switch subject {`, the body (its `case` lines at the `switch`'s own indentation,
  /// as Swift style has it), then `}`.
  mutating func switchBlock(_ subject: String, _ body: (inout SwiftCodeWriter) -> Void) {
    line("switch \(subject) {")
    body(&self)
    line("}")
  }

  /// Writes a doc comment, one `///` line per line of `doc`.
  mutating func doc(_ doc: String?) {
    guard let doc, !doc.isEmpty else { return }
    for docLine in doc.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = docLine.reversed().drop(while: { $0 == " " }).reversed()
      line(trimmed.isEmpty ? "///" : "/// " + String(trimmed))
    }
  }

  /// Writes several lines at the current indentation.
  mutating func lines(_ contents: [String]) {
    for content in contents { line(content) }
  }

  /// Removes a trailing blank line, so sections can each end with one.
  mutating func trimTrailingBlankLine() {
    while text.hasSuffix("\n\n") { text.removeLast() }
  }
}
