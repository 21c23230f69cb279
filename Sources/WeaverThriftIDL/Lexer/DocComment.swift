/// Cleans the text of a `/** ... */` comment the way Apache Thrift does: leading `*`
/// gutters and the common indentation go, blank lines at either end go, and inner lines keep
/// their relative indentation.
enum DocComment {
  static func clean(_ raw: String) -> String? {
    var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
      var trimmed = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if trimmed.first == "*" {
        trimmed = trimmed.dropFirst()
      } else {
        return line
      }
      return trimmed
    }
    lines = lines.map { Substring($0.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()) }
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    guard !lines.isEmpty else { return nil }
    let indent = lines.filter { !$0.isEmpty }.map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }.min() ?? 0
    return lines.map { $0.isEmpty ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
  }
}
