import Foundation
import NIOCore
import SQLiteNIO

/// The store's tables. Keys are BLOBs of their UTF-8 bytes, so SQLite orders them
/// bytewise, as etcd does, and a prefix is a range.
enum SQLiteSchema {
  static let statements = [
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    """
    CREATE TABLE IF NOT EXISTS kv (
      key BLOB PRIMARY KEY, value BLOB NOT NULL, create_revision INTEGER NOT NULL,
      mod_revision INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER) WITHOUT ROWID
    """,
    """
    CREATE TABLE IF NOT EXISTS history (
      revision INTEGER NOT NULL, seq INTEGER NOT NULL, deleted INTEGER NOT NULL, key BLOB NOT NULL,
      value BLOB NOT NULL, create_revision INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER,
      PRIMARY KEY (revision, seq)) WITHOUT ROWID
    """,
    "CREATE TABLE IF NOT EXISTS leases (id INTEGER PRIMARY KEY, ttl_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
  ]

  static func meta(_ name: String, on connection: SQLiteConnection) async throws -> Int64 {
    let rows = try await connection.query("SELECT value FROM meta WHERE name = ?", [.text(name)])
    return Int64(rows.first?.column("value")?.integer ?? 0)
  }

  static func key(_ key: String) -> SQLiteData {
    .blob(ByteBuffer(bytes: Array(key.utf8)))
  }

  static func key(_ bytes: [UInt8]) -> SQLiteData {
    .blob(ByteBuffer(bytes: bytes))
  }

  static func blob(_ data: Data) -> SQLiteData {
    .blob(ByteBuffer(bytes: data))
  }

  static func data(_ value: SQLiteData?) -> Data {
    guard case .blob(let buffer)? = value else { return Data() }
    return Data(buffer.readableBytesView)
  }

  static func string(_ value: SQLiteData?) -> String {
    guard case .blob(let buffer)? = value else { return value?.string ?? "" }
    return String(decoding: buffer.readableBytesView, as: UTF8.self)
  }

  static func lease(_ value: SQLiteData?) -> LeaseID? {
    guard let id = value?.integer, id != 0 else { return nil }
    return LeaseID(Int64(id))
  }
}

extension SQLiteStore {
  /// The key's row.
  func row(_ key: String) async throws(StoreError) -> KeyValue? {
    try await query("SELECT * FROM kv WHERE key = ?", [SQLiteSchema.key(key)]).first.map(Self.keyValue)
  }

  /// The rows under `prefix`, in key order.
  func rows(prefix: String) async throws(StoreError) -> [KeyValue] {
    let start = Array(prefix.utf8)
    let rows: [SQLiteRow]
    if let end = KeyRange.end(ofPrefix: start) {
      rows = try await query("SELECT * FROM kv WHERE key >= ? AND key < ? ORDER BY key", [SQLiteSchema.key(start), SQLiteSchema.key(end)])
    } else {
      rows = try await query("SELECT * FROM kv WHERE key >= ? ORDER BY key", [SQLiteSchema.key(start)])
    }
    return rows.map(Self.keyValue)
  }

  static func keyValue(_ row: SQLiteRow) -> KeyValue {
    KeyValue(
      key: SQLiteSchema.string(row.column("key")), value: SQLiteSchema.data(row.column("value")),
      createRevision: Int64(row.column("create_revision")?.integer ?? 0), modRevision: Int64(row.column("mod_revision")?.integer ?? 0),
      version: Int64(row.column("version")?.integer ?? 0), lease: SQLiteSchema.lease(row.column("lease")))
  }
}
