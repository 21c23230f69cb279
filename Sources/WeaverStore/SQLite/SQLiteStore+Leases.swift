import Foundation
import SQLiteNIO

extension SQLiteStore {
  public func grantLease(ttl: Duration) async throws(StoreError) -> Lease {
    guard ttl > .zero else { throw .invalid("a lease's TTL must be positive") }
    let milliseconds = max(1, Int64((ttl / .milliseconds(1)).rounded(.up)))
    let rounded = Duration.milliseconds(milliseconds)
    return try await serialized { () async throws(StoreError) in
      var id = LeaseID(Int64.random(in: 1...Int64.max))
      while state.withLock({ $0.leases[id] != nil }) { id = LeaseID(Int64.random(in: 1...Int64.max)) }
      _ = try await query("INSERT INTO leases (id, ttl_ms) VALUES (?, ?)", [.integer(Int(id.rawValue)), .integer(Int(milliseconds))])
      let now = time.now()
      state.withLock { $0.leases[id] = LeaseClock(ttl: rounded, deadline: now + rounded) }
      return Lease(id: id, ttl: rounded)
    }
  }

  public func keepAlive(_ lease: LeaseID) async throws(StoreError) -> Lease {
    let now = time.now()
    let ttl = state.withLock { state -> Duration? in
      guard var clock = state.leases[lease] else { return nil }
      clock.deadline = now + clock.ttl
      state.leases[lease] = clock
      return clock.ttl
    }
    guard let ttl else { throw .leaseNotFound(lease) }
    return Lease(id: lease, ttl: ttl)
  }

  public func revokeLease(_ lease: LeaseID) async throws(StoreError) {
    guard try await end([lease], expiredBy: nil) else { throw .leaseNotFound(lease) }
  }

  /// Ends every lease whose deadline has passed (deleting its keys at one revision).
  /// ``run()`` calls it ten times a second.
  public func expireLeases() async throws(StoreError) {
    let now = time.now()
    let due = state.withLock { $0.leases.filter { $0.value.deadline <= now }.map(\.key) }
    guard !due.isEmpty else { return }
    _ = try await end(due, expiredBy: now)
  }

  /// Ends `leases` (those still due at `expiredBy`, if given); returns whether any ended.
  private func end(_ leases: [LeaseID], expiredBy now: Duration?) async throws(StoreError) -> Bool {
    try await serialized { () async throws(StoreError) in
      // Taken out of memory first: a keep-alive from now on fails, as it must.
      let ending = state.withLock { state -> [(LeaseID, LeaseClock)] in
        leases.compactMap { id in
          guard let clock = state.leases[id], now.map({ clock.deadline <= $0 }) ?? true else { return nil }
          state.leases[id] = nil
          return (id, clock)
        }
      }
      guard !ending.isEmpty else { return false }
      do throws(StoreError) {
        _ = try await inTransaction { revision, changes async throws(StoreError) in
          for (id, _) in ending {
            for row in try await self.query("SELECT * FROM kv WHERE lease = ? ORDER BY key", [.integer(Int(id.rawValue))]) {
              try await self.delete(Self.keyValue(row), at: revision, changes: &changes)
            }
            _ = try await self.query("DELETE FROM leases WHERE id = ?", [.integer(Int(id.rawValue))])
          }
          return (true, [])
        }
      } catch {
        state.withLock { state in for (id, clock) in ending { state.leases[id] = clock } }
        throw error
      }
      return true
    }
  }
}
