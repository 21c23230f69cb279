import Foundation
import Logging
import Synchronization
import WeaverControlPlaneModels
import WeaverStore

/// Who changed what and when, kept in the store under `/audit/` (so every replica on one
/// store shows one log), newest ``limit`` entries. Recording never fails the change it
/// records: a store error is logged.
public final class AuditLog: Sendable {
  public let store: any Store
  /// The most entries kept; older ones are deleted as new ones come.
  public let limit: Int
  let clock: @Sendable () -> Date
  let logger: Logger
  private let writes = Atomic<Int>(0)

  static let prefix = "/audit/"

  public init(store: any Store, limit: Int = 2000, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger = Logger(label: "cloudweaver.audit")) {
    self.store = store
    self.limit = limit
    self.clock = clock
    self.logger = logger
  }

  /// Records one change.
  public func record(_ actor: String, _ action: String, target: String, detail: String = "") async {
    let now = clock()
    let entry = AuditEntry(time: Self.timestamp(now), actor: actor, action: action, target: target, detail: detail)
    // Milliseconds, then this process's sequence number, then a random tail: key order is
    // time order (within a millisecond, this replica's order), and two replicas writing in
    // the same millisecond do not collide.
    let sequence = writes.wrappingAdd(1, ordering: .relaxed).newValue
    let key = Self.prefix + Self.padded(max(0, Int64(now.timeIntervalSince1970 * 1000)), 15) + "-" + Self.padded(Int64(sequence), 12) + "-"
      + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    do {
      try await store.put(key, try JSONEncoder().encode(entry))
      if sequence % 50 == 0 { try await trim() }
    } catch {
      logger.error("could not record \(action) of \(target) by \(actor) in the audit log: \(error)")
    }
  }

  /// The newest entries first, at most `count`.
  public func entries(count: Int = 500) async throws(StoreError) -> [AuditEntry] {
    let range = try await store.range(prefix: Self.prefix)
    let decoder = JSONDecoder()
    return range.keyValues.suffix(count).reversed().compactMap { try? decoder.decode(AuditEntry.self, from: $0.value) }
  }

  private func trim() async throws {
    let range = try await store.range(prefix: Self.prefix)
    let excess = range.keyValues.count - limit
    guard excess > 0 else { return }
    try await store.commit(Transaction(success: range.keyValues.prefix(excess).map { .delete($0.key) }))
  }

  static func padded(_ number: Int64, _ width: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  static func timestamp(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
