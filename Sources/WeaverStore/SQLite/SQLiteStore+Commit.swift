import Foundation
import SQLiteNIO

extension SQLiteStore {
  public func commit(_ transaction: Transaction) async throws(StoreError) -> TransactionResult {
    try TransactionLimits.validate(transaction)
    return try await serialized { () async throws(StoreError) in
      try await self.inTransaction { revision, changes async throws(StoreError) in
        var succeeded = true
        for comparison in transaction.compare where !comparison.holds(for: try await self.row(comparison.key)) {
          succeeded = false
          break
        }
        var responses: [TransactionResult.Response] = []
        for operation in succeeded ? transaction.success : transaction.failure {
          responses.append(try await self.apply(operation, at: revision, changes: &changes))
        }
        return (succeeded, responses)
      }
    }
  }

  /// Runs `body` in one SQLite transaction at the next revision; commits the changes it
  /// collected (history, revision) and tells watchers, or rolls everything back. The caller
  /// holds the lock.
  func inTransaction(
    _ body: (Int64, inout Changes) async throws(StoreError) -> (Bool, [TransactionResult.Response])
  ) async throws(StoreError) -> TransactionResult {
    let current = state.withLock { $0.revision }
    var changes = Changes(revision: current + 1)
    _ = try await query("BEGIN IMMEDIATE")
    do throws(StoreError) {
      let (succeeded, responses) = try await body(current + 1, &changes)
      guard !changes.events.isEmpty else {
        _ = try await query("COMMIT")
        return TransactionResult(succeeded: succeeded, revision: current, responses: responses)
      }
      try await record(changes)
      _ = try await query("COMMIT")
      state.withLock { $0.revision = changes.revision }
      publish(changes.events)
      return TransactionResult(succeeded: succeeded, revision: changes.revision, responses: responses)
    } catch {
      _ = try? await query("ROLLBACK")
      throw error
    }
  }

  private func apply(_ operation: Transaction.Operation, at revision: Int64, changes: inout Changes) async throws(StoreError) -> TransactionResult.Response {
    switch operation {
    case .put(let key, let value, let lease):
      if let lease, state.withLock({ $0.leases[lease] == nil }) { throw .leaseNotFound(lease) }
      let existing = try await row(key)
      let written = KeyValue(
        key: key, value: value, createRevision: existing?.createRevision ?? revision, modRevision: revision,
        version: (existing?.version ?? 0) + 1, lease: lease)
      _ = try await query(
        "INSERT OR REPLACE INTO kv (key, value, create_revision, mod_revision, version, lease) VALUES (?, ?, ?, ?, ?, ?)",
        [SQLiteSchema.key(key), SQLiteSchema.blob(value), .integer(Int(written.createRevision)), .integer(Int(revision)),
         .integer(Int(written.version)), lease.map { .integer(Int($0.rawValue)) } ?? .null])
      changes.events.append(WatchEvent(kind: .put, keyValue: written))
      return TransactionResult.Response()
    case .delete(let key):
      guard let existing = try await row(key) else { return TransactionResult.Response() }
      try await delete(existing, at: revision, changes: &changes)
      return TransactionResult.Response(deleted: 1)
    case .deletePrefix(let prefix):
      let existing = try await rows(prefix: prefix)
      for keyValue in existing { try await delete(keyValue, at: revision, changes: &changes) }
      return TransactionResult.Response(deleted: existing.count)
    case .get(let key):
      return TransactionResult.Response(keyValues: try await row(key).map { [$0] } ?? [])
    case .range(let prefix):
      return TransactionResult.Response(keyValues: try await rows(prefix: prefix))
    }
  }

  /// Deletes one key at `revision`, as a change.
  func delete(_ keyValue: KeyValue, at revision: Int64, changes: inout Changes) async throws(StoreError) {
    _ = try await query("DELETE FROM kv WHERE key = ?", [SQLiteSchema.key(keyValue.key)])
    let deleted = KeyValue(key: keyValue.key, value: Data(), createRevision: 0, modRevision: revision, version: 0, lease: nil)
    changes.events.append(WatchEvent(kind: .delete, keyValue: deleted))
  }

  /// Writes a transaction's history and the new revision; compacts old history now and then.
  private func record(_ changes: Changes) async throws(StoreError) {
    for (seq, event) in changes.events.enumerated() {
      let keyValue = event.keyValue
      _ = try await query(
        "INSERT INTO history (revision, seq, deleted, key, value, create_revision, version, lease) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [.integer(Int(changes.revision)), .integer(seq), .integer(event.kind == .delete ? 1 : 0), SQLiteSchema.key(keyValue.key),
         SQLiteSchema.blob(keyValue.value), .integer(Int(keyValue.createRevision)), .integer(Int(keyValue.version)),
         keyValue.lease.map { .integer(Int($0.rawValue)) } ?? .null])
    }
    _ = try await query("INSERT OR REPLACE INTO meta (name, value) VALUES ('revision', ?)", [.integer(Int(changes.revision))])
    let compactTo = changes.revision - historyRevisions
    if compactTo > 0 && changes.revision % 64 == 0 {
      _ = try await query("DELETE FROM history WHERE revision <= ?", [.integer(Int(compactTo))])
      _ = try await query("INSERT OR REPLACE INTO meta (name, value) VALUES ('compact_revision', ?)", [.integer(Int(compactTo))])
      state.withLock { $0.compactRevision = compactTo }
    }
  }
}

/// The changes one transaction makes, all at `revision`.
struct Changes {
  let revision: Int64
  var events: [WatchEvent] = []
}

/// What a store accepts in one transaction (etcd's defaults: 128 operations, 1.5 MiB).
enum TransactionLimits {
  static let maxOperations = 128

  static func validate(_ transaction: Transaction) throws(StoreError) {
    let operations = transaction.success.count + transaction.failure.count
    guard operations <= maxOperations else { throw .invalid("a transaction has at most \(maxOperations) operations; this one has \(operations)") }
    for comparison in transaction.compare { try KeyRange.validate(comparison.key) }
    for branch in [transaction.success, transaction.failure] {
      var written: Set<String> = []
      for operation in branch {
        switch operation {
        case .put(let key, let value, _):
          try KeyRange.validate(key)
          guard value.count <= KeyRange.maxValueBytes else {
            throw .invalid("a value is at most \(KeyRange.maxValueBytes) bytes; the one for \(key) is \(value.count)")
          }
          guard written.insert(key).inserted else { throw .invalid("\(key) is written twice in one transaction") }
        case .delete(let key):
          try KeyRange.validate(key)
          guard written.insert(key).inserted else { throw .invalid("\(key) is written twice in one transaction") }
        case .get(let key):
          try KeyRange.validate(key)
        case .deletePrefix, .range:
          break
        }
      }
    }
  }
}
