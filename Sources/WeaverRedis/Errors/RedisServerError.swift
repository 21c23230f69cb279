/// An error reply from the server: `-ERR unknown command`, `-WRONGTYPE …`, `-MOVED 3999 127.0.0.1:6381`.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The whole message, as the server sent it.
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  /// The first word, which Redis uses as the error's kind: `ERR`, `WRONGTYPE`, `MOVED`,
  /// `ASK`, `TRYAGAIN`, `CLUSTERDOWN`, `LOADING`, `NOAUTH`, `CROSSSLOT`, …
  public var code: String {
    String(message.prefix { $0 != " " })
  }

  public var description: String { message }

  /// Where a `MOVED` or `ASK` reply sends the command.
  public var redirect: ClusterRedirect? {
    let parts = message.split(separator: " ")
    guard parts.count == 3, let slot = UInt16(parts[1]), slot < HashSlot.count,
      let node = RedisNodeAddress(parts[2])
    else { return nil }
    switch parts[0] {
    case "MOVED": return ClusterRedirect(kind: .moved, slot: slot, node: node)
    case "ASK": return ClusterRedirect(kind: .ask, slot: slot, node: node)
    default: return nil
    }
  }

  /// Whether the server did not run the command and says to try again later: a slot's keys
  /// split by a migration (`TRYAGAIN`), the cluster down (`CLUSTERDOWN`), the data set
  /// loading (`LOADING`), a primary gone (`MASTERDOWN`), or a node that turned replica
  /// during a failover (`READONLY`).
  public var isRetryable: Bool {
    switch code {
    case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "MASTERDOWN", "READONLY": true
    default: false
    }
  }
}

/// A cluster node's answer that the key's slot lives elsewhere.
public struct ClusterRedirect: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable {
    /// The slot moved for good: update the map, resend there.
    case moved = "MOVED"
    /// The slot is migrating: send `ASKING` and the command to that node, once.
    case ask = "ASK"
  }

  public var kind: Kind
  public var slot: UInt16
  public var node: RedisNodeAddress

  public var description: String { "\(kind.rawValue) \(slot) \(node)" }
}
