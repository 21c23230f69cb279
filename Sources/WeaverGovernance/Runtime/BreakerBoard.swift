import Synchronization

/// Every circuit breaker of the process that has left `closed`, as its last transition
/// left it: what a runtime snapshot lists as open breakers. Breakers are many and made on
/// first use, so the board learns of them from their transitions (``GovernanceEvents``),
/// not by asking each.
public final class BreakerBoard: Sendable {
  /// The process's board, which ``GovernanceEvents`` writes to by default.
  public static let shared = BreakerBoard()

  /// One breaker's scope and state.
  public struct Entry: Sendable, Hashable, Codable {
    public var service: String
    /// The method a method breaker guards, or nil.
    public var method: String?
    /// The instance (`host:port`) an instance breaker guards, or nil.
    public var instance: String?
    /// `open`, `halfOpen` or `forcedOpen`.
    public var state: String
  }

  private struct Key: Hashable {
    var service: String
    var method: String?
    var instance: String?
  }

  private let entries = Mutex<[Key: String]>([:])

  public init() {}

  /// Notes a breaker's new state (`closed` and `disabled` take it off the board).
  public func note(service: String, method: String?, instance: String?, state: String) {
    let key = Key(service: service, method: method, instance: instance)
    entries.withLock { entries in
      if state == "closed" || state == "disabled" { entries[key] = nil } else { entries[key] = state }
    }
  }

  /// The breakers not closed now, sorted by service, method, instance.
  public var notClosed: [Entry] {
    entries.withLock { entries in
      entries.map { Entry(service: $0.key.service, method: $0.key.method, instance: $0.key.instance, state: $0.value) }
    }.sorted { ($0.service, $0.method ?? "", $0.instance ?? "") < ($1.service, $1.method ?? "", $1.instance ?? "") }
  }
}
