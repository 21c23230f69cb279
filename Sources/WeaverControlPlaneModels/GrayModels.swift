/// Which clients a gray release goes to: a client matching any of the criteria given.
/// A rule names at least one.
public struct GrayRule: Codable, Sendable, Hashable {
  /// Client addresses (the `ip` a client reads with).
  public var ips: [String]?
  /// Labels a client carries, all of them (`zone: eu-1`, `release: canary`). An Apollo
  /// client's `label` reads as the label `label`.
  public var labels: [String: String]?
  /// A stable share of clients, 1–100: those whose id (else address) hashes below it.
  public var percentage: Int?

  public init(ips: [String]? = nil, labels: [String: String]? = nil, percentage: Int? = nil) {
    self.ips = ips
    self.labels = labels
    self.percentage = percentage
  }

  /// Whether `client` gets the gray release. `salt` (the namespace and the gray release)
  /// picks the percentage's share: another gray release picks another share.
  public func matches(_ client: ConfigClient, salt: String) -> Bool {
    if let ip = client.ip, let ips, ips.contains(ip) { return true }
    if let labels, !labels.isEmpty, labels.allSatisfy({ client.labels[$0.key] == $0.value }) { return true }
    if let percentage, let key = client.id ?? client.ip {
      return Self.bucket(of: salt + "#" + key) < percentage
    }
    return false
  }

  /// 0–99, the same in every process and release (FNV-1a, not Swift's seeded hash).
  static func bucket(of text: String) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return Int(hash % 100)
  }
}

/// Who reads a namespace, so the config center can answer with a gray release: sent as
/// `?ip=…&client=…&label=key:value` (repeated).
public struct ConfigClient: Sendable, Hashable {
  public var ip: String?
  public var labels: [String: String]
  /// A stable id (an instance id), which the percentage of a gray rule hashes.
  public var id: String?

  public init(ip: String? = nil, labels: [String: String] = [:], id: String? = nil) {
    self.ip = ip
    self.labels = labels
    self.id = id
  }

  /// The query items that name this client.
  public var queryItems: [(String, String)] {
    var items: [(String, String)] = []
    if let ip { items.append(("ip", ip)) }
    if let id { items.append(("client", id)) }
    for (key, value) in labels.sorted(by: { $0.key < $1.key }) { items.append(("label", "\(key):\(value)")) }
    return items
  }
}

/// `POST …/gray`: publish the draft as a gray release to the clients `rule` selects.
public struct GrayPublishRequest: Codable, Sendable, Hashable {
  public var rule: GrayRule
  public var author: String
  public var comment: String?

  public init(rule: GrayRule, author: String, comment: String? = nil) {
    self.rule = rule
    self.author = author
    self.comment = comment
  }
}

/// A gray release in force beside the main one.
public struct GrayRelease: Codable, Sendable, Hashable {
  /// Its content, numbered in the namespace's one sequence (kind `gray`).
  public var release: ConfigRelease
  public var rule: GrayRule
  /// The main release it was made beside: promoting it needs that one still in force.
  public var base: Int?

  public init(release: ConfigRelease, rule: GrayRule, base: Int?) {
    self.release = release
    self.rule = rule
    self.base = base
  }
}
