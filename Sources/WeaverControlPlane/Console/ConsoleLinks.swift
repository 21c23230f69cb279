import Foundation

/// Building the console's own links safely.
enum ConsoleLinks {
  /// One path segment, percent-encoded (an instance id `h:80` stays one segment).
  static func segment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
  }

  /// A query value, percent-encoded.
  static func query(_ text: String) -> String { segment(text) }

  /// `/console/` joined with segments, each encoded.
  static func path(_ segments: String...) -> String {
    "/console/" + segments.map(segment).joined(separator: "/")
  }

  /// Where to go back to after signing in: only a path of the console itself, never
  /// another site (no open redirect); else nil.
  static func localPath(_ text: String) -> String? {
    guard text.hasPrefix("/console"), !text.contains("\\"), !text.contains("//") else { return nil }
    return text
  }

  /// The console path of a `Referer` (an absolute URL of this site), if it is one.
  static func refererPath(_ text: String) -> String? {
    guard let url = URL(string: text), url.host != nil else { return nil }
    return localPath(url.path + (url.query.map { "?" + $0 } ?? ""))
  }
}
