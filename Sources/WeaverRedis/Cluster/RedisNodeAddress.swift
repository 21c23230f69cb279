/// A Redis server's host and port: `127.0.0.1:6379`, `[::1]:6379`.
public struct RedisNodeAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses `host:port` (IPv6 hosts in brackets, or bare when the port is after the last
  /// colon, as `CLUSTER NODES` writes them); nil when there is no valid port.
  public init?<S: StringProtocol>(_ text: S) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (1...65535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty else { return nil }
    self.init(host: host, port: port)
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

  public static func < (lhs: Self, rhs: Self) -> Bool {
    (lhs.host, lhs.port) < (rhs.host, rhs.port)
  }
}
