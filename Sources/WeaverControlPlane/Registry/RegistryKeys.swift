/// Where the registry keeps things in the store: everything of a service under one prefix,
/// so one range reads it at one revision and one watch sees every change.
///
/// ```
/// /registry/{service}/instance/{id}   the instance (ephemeral: on its removal lease)
/// /registry/{service}/health/{id}     present while healthy (ephemeral: on its TTL lease)
/// /registry/{service}/isolated/{id}   present while an operator keeps it out of traffic
/// /registry/{service}/settings        protection threshold
/// ```
enum RegistryKeys {
  static let root = "/registry/"

  static func prefix(of service: String) -> String { root + service + "/" }
  static func instance(_ service: String, _ id: String) -> String { prefix(of: service) + "instance/" + id }
  static func health(_ service: String, _ id: String) -> String { prefix(of: service) + "health/" + id }
  static func isolated(_ service: String, _ id: String) -> String { prefix(of: service) + "isolated/" + id }
  static func settings(_ service: String) -> String { prefix(of: service) + "settings" }

  /// The kind and name of a key under a service's prefix.
  enum Entry {
    case instance(String)
    case health(String)
    case isolated(String)
    case settings
    case other
  }

  static func entry(_ key: String, service: String) -> Entry {
    let rest = key.dropFirst(prefix(of: service).count)
    if rest.hasPrefix("instance/") { return .instance(String(rest.dropFirst("instance/".count))) }
    if rest.hasPrefix("health/") { return .health(String(rest.dropFirst("health/".count))) }
    if rest.hasPrefix("isolated/") { return .isolated(String(rest.dropFirst("isolated/".count))) }
    if rest == "settings" { return .settings }
    return .other
  }
}
