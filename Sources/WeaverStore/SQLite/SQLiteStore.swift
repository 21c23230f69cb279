import Foundation
import Logging
import NIOCore
import SQLiteNIO
import ServiceLifecycle
import Synchronization
import WeaverCore

/// The embedded ``Store``: one SQLite file in WAL mode, every commit one SQLite
/// transaction synced to disk before it is acknowledged (`synchronous=FULL`).
///
/// Leases are granted durably (their TTL survives a restart, and their deadlines start
/// afresh then, as etcd's do on a new leader) but kept alive in memory: a keep-alive is
/// liveness, not a write. Run the store (it is a `Service`) to expire leases on time; tests
/// drive it with a manual clock and ``expireLeases()``.
///
/// ```swift
/// let store = try await SQLiteStore.open(path: dataDirectory + "/weaver.sqlite")
/// try await store.put("config/demo", Data("{}".utf8))
/// ```
public final class SQLiteStore: Store, Service {
  let connection: SQLiteConnection
  let lock = AsyncSerialLock()
  let time: TimeSource
  let logger: Logger
  /// Revisions of history kept for watches; older ones are compacted.
  let historyRevisions: Int64
  let state: Mutex<State>

  struct State {
    /// The revision of the last commit that changed something.
    var revision: Int64
    /// History at or below this revision is gone.
    var compactRevision: Int64
    var leases: [LeaseID: LeaseClock] = [:]
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
  }

  /// A lease's TTL and when it ends unless renewed (on the store's ``TimeSource``).
  struct LeaseClock {
    var ttl: Duration
    var deadline: Duration
  }

  private init(connection: SQLiteConnection, time: TimeSource, logger: Logger, historyRevisions: Int64, state: State) {
    self.connection = connection
    self.time = time
    self.logger = logger
    self.historyRevisions = historyRevisions
    self.state = Mutex(state)
  }

  /// Opens (creating if needed) the store in the SQLite file at `path`.
  public static func open(
    path: String, time: TimeSource = .continuous, historyRevisions: Int = 10_000,
    logger: Logger = Logger(label: "cloudweaver.store")
  ) async throws(StoreError) -> SQLiteStore {
    let connection: SQLiteConnection
    do {
      connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
    } catch {
      throw .unavailable("cannot open \(path): \(error)", indeterminate: false)
    }
    do {
      for statement in SQLiteSchema.statements { _ = try await connection.query(statement) }
      let revision = try await SQLiteSchema.meta("revision", on: connection)
      let compactRevision = try await SQLiteSchema.meta("compact_revision", on: connection)
      var state = State(revision: revision, compactRevision: compactRevision)
      let now = time.now()
      for row in try await connection.query("SELECT id, ttl_ms FROM leases") {
        let ttl = Duration.milliseconds(row.column("ttl_ms")?.integer ?? 0)
        state.leases[LeaseID(Int64(row.column("id")?.integer ?? 0))] = LeaseClock(ttl: ttl, deadline: now + ttl)
      }
      return SQLiteStore(connection: connection, time: time, logger: logger, historyRevisions: Int64(max(1, historyRevisions)), state: state)
    } catch {
      try? await connection.close()
      throw .unavailable("cannot set up \(path): \(error)", indeterminate: false)
    }
  }

  /// Expires leases on time until cancelled or shut down, then closes the file.
  public func run() async throws {
    do {
      try await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
          try await self.time.sleep(.milliseconds(100))
          do {
            try await self.expireLeases()
          } catch {
            self.logger.warning("expiring leases failed (will retry): \(error)")
          }
        }
      }
    } catch is CancellationError {
      // Shut down or cancelled: close below.
    }
    try await close()
  }

  /// Closes the file; watches end.
  public func close() async throws(StoreError) {
    let watchers = state.withLock { state in
      defer { state.watchers = [:] }
      return Array(state.watchers.values)
    }
    for watcher in watchers { watcher.continuation.finish() }
    do {
      try await lock.withLock { () async throws in try await connection.close() }
    } catch {
      throw .unavailable("closing: \(error)", indeterminate: false)
    }
  }

  // MARK: Reads

  public func get(_ key: String) async throws(StoreError) -> KeyValue? {
    try KeyRange.validate(key)
    return try await serialized { () async throws(StoreError) in try await self.row(key) }
  }

  public func range(prefix: String) async throws(StoreError) -> RangeResult {
    try await serialized { () async throws(StoreError) in
      RangeResult(keyValues: try await self.rows(prefix: prefix), revision: self.state.withLock { $0.revision })
    }
  }

  /// Runs `body` alone on the connection (no commit interleaves with it).
  func serialized<T>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
    try await lock.withLock(body)
  }

  /// Runs one statement, mapping SQLite's errors.
  func query(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) -> [SQLiteRow] {
    do {
      return try await connection.query(sql, binds)
    } catch {
      throw .unavailable("\(error)", indeterminate: true)
    }
  }
}
