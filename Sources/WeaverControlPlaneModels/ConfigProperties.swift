import Foundation

/// The properties format as the config center and the SDK read it: `key=value` (or
/// `key: value`) lines, any line break, blank lines and `#`/`!` comments skipped.
public enum ConfigProperties {
  /// A line that is not a pair: its 1-based number and text.
  public struct LineError: Error, Sendable, Hashable {
    public var line: Int
    public var text: String
  }

  public static func parse(_ content: String) throws(LineError) -> [String: String] {
    var pairs: [String: String] = [:]
    // Any line break: "\r\n" is one Character in Swift.
    for (number, line) in content.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("!") { continue }
      guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }),
        !trimmed[..<separator].trimmingCharacters(in: .whitespaces).isEmpty
      else { throw LineError(line: number + 1, text: String(trimmed.prefix(60))) }
      pairs[trimmed[..<separator].trimmingCharacters(in: .whitespaces)] = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
    }
    return pairs
  }
}
