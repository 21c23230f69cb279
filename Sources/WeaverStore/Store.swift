import Foundation

/// The control plane's storage, in the shape of etcd v3's API so that a distributed engine
/// can stand behind it: a flat, ordered key space with a store-wide **revision** that
/// every change moves on, **transactions** that compare then act atomically, **leases**
/// that delete their keys when their time runs out, and **watches** from a revision.
///
/// Nothing above a store assumes it runs in one process: two control-plane replicas on one
/// store see each other's writes through watches, and a lease kept alive through one is
/// alive for both. ``SQLiteStore`` is the embedded implementation; every implementation
/// passes the same conformance suite.
public protocol Store: Sendable {
  /// The key, if it exists.
  func get(_ key: String) async throws(StoreError) -> KeyValue?

  /// Every key that starts with `prefix`, in key order, and the revision they were read at.
  func range(prefix: String) async throws(StoreError) -> RangeResult

  /// Runs `transaction` atomically: its comparisons, then its success or failure operations,
  /// all at one new revision if anything changed.
  @discardableResult
  func commit(_ transaction: Transaction) async throws(StoreError) -> TransactionResult

  /// A new lease of `ttl` (rounded up to whole milliseconds; implementations may raise it
  /// to their minimum, which ``Lease/ttl`` reports).
  func grantLease(ttl: Duration) async throws(StoreError) -> Lease

  /// Renews `lease` for its whole TTL; throws ``StoreError/leaseNotFound`` once it has
  /// expired or been revoked. Cheap: liveness, not a change (no revision).
  func keepAlive(_ lease: LeaseID) async throws(StoreError) -> Lease

  /// Ends `lease` now and deletes its keys (one revision).
  func revokeLease(_ lease: LeaseID) async throws(StoreError)

  /// Changes under `prefix` from `revision` on (inclusive), in revision order, then live:
  /// each element is one revision's events. Fails with ``StoreError/compacted`` when that
  /// history is gone (re-read with ``range(prefix:)`` and watch from its revision + 1).
  /// Ends when the task is cancelled.
  func watch(prefix: String, fromRevision revision: Int64) -> AsyncThrowingStream<[WatchEvent], any Error>
}

extension Store {
  /// Writes `value` at `key` (attached to `lease`, if any); returns the new revision.
  @discardableResult
  public func put(_ key: String, _ value: Data, lease: LeaseID? = nil) async throws(StoreError) -> Int64 {
    try await commit(Transaction(success: [.put(key, value, lease: lease)])).revision
  }

  /// Deletes `key`; returns whether it existed.
  @discardableResult
  public func delete(_ key: String) async throws(StoreError) -> Bool {
    try await commit(Transaction(success: [.delete(key)])).responses.first?.deleted ?? 0 > 0
  }

  /// The store's current revision.
  public func revision() async throws(StoreError) -> Int64 {
    try await range(prefix: "\u{0}\u{0}no-such-key").revision
  }
}

/// A key and its value with etcd's bookkeeping.
public struct KeyValue: Sendable, Hashable {
  public var key: String
  public var value: Data
  /// The revision the key was created at (since its last deletion).
  public var createRevision: Int64
  /// The revision of its last change.
  public var modRevision: Int64
  /// Changes since creation: 1 when created.
  public var version: Int64
  /// The lease that deletes it, if any.
  public var lease: LeaseID?

  public init(key: String, value: Data, createRevision: Int64, modRevision: Int64, version: Int64, lease: LeaseID? = nil) {
    self.key = key
    self.value = value
    self.createRevision = createRevision
    self.modRevision = modRevision
    self.version = version
    self.lease = lease
  }
}

/// Keys read together, and the store revision they were read at.
public struct RangeResult: Sendable, Hashable {
  public var keyValues: [KeyValue]
  public var revision: Int64

  public init(keyValues: [KeyValue], revision: Int64) {
    self.keyValues = keyValues
    self.revision = revision
  }
}

/// A lease's id (never 0).
public struct LeaseID: Sendable, Hashable, Codable, CustomStringConvertible {
  public var rawValue: Int64

  public init(_ rawValue: Int64) {
    self.rawValue = rawValue
  }

  public var description: String { String(rawValue) }
}

/// A granted or renewed lease.
public struct Lease: Sendable, Hashable {
  public var id: LeaseID
  /// Its time to live from the last renewal.
  public var ttl: Duration

  public init(id: LeaseID, ttl: Duration) {
    self.id = id
    self.ttl = ttl
  }
}

/// One change a watch reports.
public struct WatchEvent: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case put
    case delete
  }

  public var kind: Kind
  /// The key after the change (for a delete: its key, an empty value, and the revision of
  /// the deletion as `modRevision`).
  public var keyValue: KeyValue

  public init(kind: Kind, keyValue: KeyValue) {
    self.kind = kind
    self.keyValue = keyValue
  }

  public var revision: Int64 { keyValue.modRevision }
}

/// What went wrong in a store.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The lease does not exist (expired, revoked, or never granted).
  case leaseNotFound(LeaseID)
  /// The history a watch asked for was compacted away; re-read, then watch on.
  case compacted(requested: Int64, compactRevision: Int64)
  /// A request the store refuses (an empty key, a value over the limit, …).
  case invalid(String)
  /// The engine failed (disk, connection); the operation may or may not have happened
  /// only when `indeterminate` is true.
  case unavailable(String, indeterminate: Bool)

  public var description: String {
    switch self {
    case .leaseNotFound(let id): "lease \(id) not found (expired or revoked)"
    case .compacted(let requested, let compactRevision): "revision \(requested) is compacted (history starts after \(compactRevision))"
    case .invalid(let reason): reason
    case .unavailable(let reason, _): "store unavailable: \(reason)"
    }
  }
}
