import Foundation
import SQLiteNIO

extension SQLiteStore {
  /// A watch's prefix and where its events go.
  struct Watcher {
    let prefix: [UInt8]
    let continuation: AsyncThrowingStream<[WatchEvent], any Error>.Continuation
  }

  public func watch(prefix: String, fromRevision revision: Int64) -> AsyncThrowingStream<[WatchEvent], any Error> {
    let (stream, continuation) = AsyncThrowingStream<[WatchEvent], any Error>.makeStream()
    let id = state.withLock { state in
      state.nextWatcherID += 1
      return state.nextWatcherID
    }
    let registration = Task {
      do {
        try await self.register(Watcher(prefix: Array(prefix.utf8), continuation: continuation), id: id, from: revision)
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in
      registration.cancel()
      _ = self.state.withLock { $0.watchers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Replays history from `revision`, then adds the watcher, under the lock: no commit
  /// falls between the two.
  private func register(_ watcher: Watcher, id: Int, from revision: Int64) async throws(StoreError) {
    try await serialized { () async throws(StoreError) in
      let (current, compacted) = state.withLock { ($0.revision, $0.compactRevision) }
      if revision > 0 && revision <= compacted { throw .compacted(requested: revision, compactRevision: compacted) }
      if revision > 0 && revision <= current {
        for events in try await history(prefix: watcher.prefix, from: revision) { watcher.continuation.yield(events) }
      }
      state.withLock { $0.watchers[id] = watcher }
      // Ended while registering: its termination handler ran before the watcher was added.
      if Task.isCancelled { _ = state.withLock { $0.watchers.removeValue(forKey: id) } }
    }
  }

  /// History under `prefix` from `revision`, one element per revision.
  private func history(prefix: [UInt8], from revision: Int64) async throws(StoreError) -> [[WatchEvent]] {
    var binds: [SQLiteData] = [.integer(Int(revision)), SQLiteSchema.key(prefix)]
    var sql = "SELECT * FROM history WHERE revision >= ? AND key >= ?"
    if let end = KeyRange.end(ofPrefix: prefix) {
      sql += " AND key < ?"
      binds.append(SQLiteSchema.key(end))
    }
    var grouped: [[WatchEvent]] = []
    for row in try await query(sql + " ORDER BY revision, seq", binds) {
      let modRevision = Int64(row.column("revision")?.integer ?? 0)
      let deleted = row.column("deleted")?.integer == 1
      let keyValue = KeyValue(
        key: SQLiteSchema.string(row.column("key")), value: SQLiteSchema.data(row.column("value")),
        createRevision: Int64(row.column("create_revision")?.integer ?? 0), modRevision: modRevision,
        version: Int64(row.column("version")?.integer ?? 0), lease: SQLiteSchema.lease(row.column("lease")))
      let event = WatchEvent(kind: deleted ? .delete : .put, keyValue: keyValue)
      if let last = grouped.last?.last, last.revision == modRevision {
        grouped[grouped.count - 1].append(event)
      } else {
        grouped.append([event])
      }
    }
    return grouped
  }

  /// Sends one commit's events to the watchers whose prefix they fall under.
  func publish(_ events: [WatchEvent]) {
    let watchers = state.withLock { Array($0.watchers.values) }
    for watcher in watchers {
      let matching = events.filter { $0.keyValue.key.utf8.starts(with: watcher.prefix) }
      if !matching.isEmpty { watcher.continuation.yield(matching) }
    }
  }
}
