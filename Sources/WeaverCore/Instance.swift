/// One running copy of a service: where to reach it and what routing needs to know.
public struct Instance: Hashable, Sendable, CustomStringConvertible {
  public var host: String { didSet { address = Self.format(host: host, port: port) } }
  public var port: Int { didSet { address = Self.format(host: host, port: port) } }
  /// `host:port` (an IPv6 host in brackets): formatted once, as it keys every table of
  /// per-instance state.
  public private(set) var address: String
  /// Relative share of traffic (load balancers honour it; 0 takes none).
  public var weight: Int
  public var region: String?
  public var zone: String?
  /// Free-form labels: release tag, version, …
  public var tags: [String: String]

  public init(host: String, port: Int, weight: Int = 100, region: String? = nil, zone: String? = nil, tags: [String: String] = [:]) {
    self.host = host
    self.port = port
    self.address = Self.format(host: host, port: port)
    self.weight = weight
    self.region = region
    self.zone = zone
    self.tags = tags
  }

  /// `host:port`, with an IPv6 host in brackets.
  public static func format(host: String, port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
  public var description: String { address }

  /// Parses `host:port` or `[v6]:port`.
  public init?(address: String) {
    guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port) else {
      return nil
    }
    var host = String(address[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    self.init(host: host, port: port)
  }
}
