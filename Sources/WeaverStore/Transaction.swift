import Foundation

/// Compare-then-act, as etcd's `Txn`: if every comparison holds, the success operations
/// run, else the failure ones; all at one revision.
///
/// ```swift
/// // Create `key` only if it does not exist yet.
/// let result = try await store.commit(Transaction(
///   compare: [.version("config/app", .equal, 0)],
///   success: [.put("config/app", body)]))
/// if !result.succeeded { /* someone else created it first */ }
/// ```
public struct Transaction: Sendable, Hashable {
  public var compare: [Comparison]
  public var success: [Operation]
  public var failure: [Operation]

  public init(compare: [Comparison] = [], success: [Operation], failure: [Operation] = []) {
    self.compare = compare
    self.success = success
    self.failure = failure
  }

  /// One comparison against a key's current state (a missing key has version, create and
  /// mod revision 0 and no value).
  public struct Comparison: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
      case version(Int64)
      case createRevision(Int64)
      case modRevision(Int64)
      case value(Data)
    }

    public enum Relation: Sendable, Hashable {
      case equal, notEqual, less, greater
    }

    public var key: String
    public var relation: Relation
    public var target: Target

    public static func version(_ key: String, _ relation: Relation, _ version: Int64) -> Comparison {
      Comparison(key: key, relation: relation, target: .version(version))
    }

    public static func modRevision(_ key: String, _ relation: Relation, _ revision: Int64) -> Comparison {
      Comparison(key: key, relation: relation, target: .modRevision(revision))
    }

    public static func createRevision(_ key: String, _ relation: Relation, _ revision: Int64) -> Comparison {
      Comparison(key: key, relation: relation, target: .createRevision(revision))
    }

    public static func value(_ key: String, _ relation: Relation, _ value: Data) -> Comparison {
      Comparison(key: key, relation: relation, target: .value(value))
    }

    /// Whether the comparison holds for `current` (nil: the key does not exist).
    public func holds(for current: KeyValue?) -> Bool {
      switch target {
      case .version(let expected): Self.compare(current?.version ?? 0, relation, expected)
      case .createRevision(let expected): Self.compare(current?.createRevision ?? 0, relation, expected)
      case .modRevision(let expected): Self.compare(current?.modRevision ?? 0, relation, expected)
      case .value(let expected):
        // etcd: a value comparison against a missing key fails.
        current.map { Self.compare(Array($0.value), relation, Array(expected)) } ?? false
      }
    }

    private static func compare(_ actual: Int64, _ relation: Relation, _ expected: Int64) -> Bool {
      switch relation {
      case .equal: actual == expected
      case .notEqual: actual != expected
      case .less: actual < expected
      case .greater: actual > expected
      }
    }

    private static func compare(_ actual: [UInt8], _ relation: Relation, _ expected: [UInt8]) -> Bool {
      switch relation {
      case .equal: actual == expected
      case .notEqual: actual != expected
      case .less: actual.lexicographicallyPrecedes(expected)
      case .greater: expected.lexicographicallyPrecedes(actual)
      }
    }
  }

  /// One operation of a transaction.
  public enum Operation: Sendable, Hashable {
    /// Writes a key, attached to a lease if one is given (the lease must exist).
    case put(String, Data, lease: LeaseID? = nil)
    /// Deletes a key (nothing if it does not exist).
    case delete(String)
    /// Deletes every key under a prefix.
    case deletePrefix(String)
    /// Reads a key as of the transaction.
    case get(String)
    /// Reads every key under a prefix as of the transaction.
    case range(prefix: String)
  }
}

/// What a transaction did.
public struct TransactionResult: Sendable, Hashable {
  /// Whether the comparisons held (the success operations ran).
  public var succeeded: Bool
  /// The store's revision after the transaction (unchanged if it changed nothing).
  public var revision: Int64
  /// One response per operation that ran, in order.
  public var responses: [Response]

  public init(succeeded: Bool, revision: Int64, responses: [Response]) {
    self.succeeded = succeeded
    self.revision = revision
    self.responses = responses
  }

  /// What one operation did: keys read, or keys deleted.
  public struct Response: Sendable, Hashable {
    public var keyValues: [KeyValue]
    public var deleted: Int

    public init(keyValues: [KeyValue] = [], deleted: Int = 0) {
      self.keyValues = keyValues
      self.deleted = deleted
    }
  }
}
