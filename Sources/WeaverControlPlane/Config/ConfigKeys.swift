/// Where the config center keeps a namespace in the store, all under one prefix:
///
/// ```
/// /config/{app}/{cluster}/{namespace}/meta             format
/// /config/{app}/{cluster}/{namespace}/draft            the unpublished content
/// /config/{app}/{cluster}/{namespace}/latest           the number of the main release in force
/// /config/{app}/{cluster}/{namespace}/counter          the newest number taken, main or gray (absent: latest)
/// /config/{app}/{cluster}/{namespace}/gray             the gray release: its number, base, rule, and end if it ended
/// /config/{app}/{cluster}/{namespace}/release/{n}      release n (zero-padded: key order is number order)
/// ```
struct NamespaceKey: Sendable, Hashable, CustomStringConvertible {
  var app: String
  var cluster: String
  var namespace: String

  var prefix: String { "/config/\(app)/\(cluster)/\(namespace)/" }
  var meta: String { prefix + "meta" }
  var draft: String { prefix + "draft" }
  var latest: String { prefix + "latest" }
  var counter: String { prefix + "counter" }
  var gray: String { prefix + "gray" }
  var releases: String { prefix + "release/" }
  func release(_ number: Int) -> String { releases + String(repeating: "0", count: max(0, 10 - String(number).count)) + String(number) }

  var description: String { "\(app)/\(cluster)/\(namespace)" }

  /// Checks the three names (as service names: letters, digits, `.`, `_`, `-`).
  func validate() throws(ConfigError) {
    for (what, name) in [("app", app), ("cluster", cluster), ("namespace", namespace)] {
      do {
        try RegistryValidation.serviceName(name)
      } catch {
        throw .invalid(error.description.replacingOccurrences(of: "service name", with: what))
      }
    }
  }
}

/// Why the config center refused or failed a request.
public enum ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Malformed: a bad name, content that does not parse as its format, rules that do not
  /// validate (HTTP 400).
  case invalid(String)
  /// No such namespace, draft or release (HTTP 404).
  case notFound(String)
  /// Someone else published at the same moment (HTTP 409): read and try again.
  case conflict(String)
  /// The store failed (HTTP 503).
  case store(String)

  public var description: String {
    switch self {
    case .invalid(let reason), .notFound(let reason), .conflict(let reason), .store(let reason): reason
    }
  }
}
