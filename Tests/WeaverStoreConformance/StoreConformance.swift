import Foundation
import Testing
import WeaverStore

/// A store under test, and how to move its time on.
public struct StoreFixture: Sendable {
  public let store: any Store
  /// Moves the store's time on by a duration and lets it act on it (expire leases): a
  /// manual clock for an embedded store, a real wait for a server like etcd.
  public let advance: @Sendable (Duration) async throws -> Void

  public init(store: any Store, advance: @escaping @Sendable (Duration) async throws -> Void) {
    self.store = store
    self.advance = advance
  }
}

/// One behaviour every ``Store`` must have.
public struct StoreCheck: Sendable, CustomStringConvertible {
  public let description: String
  public let run: @Sendable (StoreFixture) async throws -> Void
}

/// The behaviours every ``Store`` implementation must have, written against the protocol
/// alone (etcd v3's semantics): run each against a fresh store.
///
/// ```swift
/// @Test(arguments: StoreConformance.checks)
/// func conforms(_ check: StoreCheck) async throws { try await check.run(try await freshFixture()) }
/// ```
public enum StoreConformance {
  public static let checks: [StoreCheck] = [
    StoreCheck(description: "put, get and the revision bookkeeping", run: putAndGet),
    StoreCheck(description: "prefix ranges in bytewise key order", run: prefixRanges),
    StoreCheck(description: "deletes, one key and a prefix", run: deletes),
    StoreCheck(description: "compare-and-set transactions", run: compareAndSet),
    StoreCheck(description: "bad transactions are refused whole", run: refusals),
    StoreCheck(description: "concurrent compare-and-set loses no update", run: concurrentIncrements),
    StoreCheck(description: "leases keep, expire and revoke their keys", run: leases),
    StoreCheck(description: "watches replay from a revision, then follow", run: watches),
  ]

  static func data(_ text: String) -> Data { Data(text.utf8) }

  static func putAndGet(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    let start = try await store.revision()
    let first = try await store.put("app/a", data("1"))
    #expect(first == start + 1)
    let second = try await store.put("app/a", data("2"))
    #expect(second == first + 1)
    let value = try #require(try await store.get("app/a"))
    #expect(value.value == data("2"))
    #expect(value.createRevision == first && value.modRevision == second && value.version == 2 && value.lease == nil)
    #expect(try await store.get("app/missing") == nil)
    #expect(try await store.revision() == second)
  }

  static func prefixRanges(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    for key in ["a/b", "a/a", "a0", "a", "a/b/c", "b", "a/\u{e9}"] { try await store.put(key, data(key)) }
    let under = try await store.range(prefix: "a/")
    #expect(under.keyValues.map(\.key) == ["a/a", "a/b", "a/b/c", "a/\u{e9}"], "bytewise: é (0xC3 0xA9) sorts after ASCII")
    #expect(under.revision == (try await store.revision()))
    #expect(try await store.range(prefix: "a").keyValues.count == 6)
    #expect(try await store.range(prefix: "zz").keyValues.isEmpty)
  }

  static func deletes(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    for key in ["s/1", "s/2", "s/3", "t/1"] { try await store.put(key, data(key)) }
    let before = try await store.revision()
    #expect(try await store.delete("s/1"))
    #expect(try await store.revision() == before + 1)
    #expect(!(try await store.delete("s/1")), "deleting a missing key changes nothing")
    #expect(try await store.revision() == before + 1)
    let result = try await store.commit(Transaction(success: [.deletePrefix("s/")]))
    #expect(result.responses.first?.deleted == 2 && result.revision == before + 2, "a prefix goes at one revision")
    #expect(try await store.range(prefix: "s/").keyValues.isEmpty)
    // Recreated after deletion: a new life, version 1.
    let recreated = try await store.put("s/1", data("again"))
    let value = try #require(try await store.get("s/1"))
    #expect(value.createRevision == recreated && value.version == 1)
  }

  static func compareAndSet(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    let create = Transaction(compare: [.version("lock", .equal, 0)], success: [.put("lock", data("me"))], failure: [.get("lock")])
    let first = try await store.commit(create)
    #expect(first.succeeded)
    let second = try await store.commit(create)
    #expect(!second.succeeded, "the key exists now")
    #expect(second.revision == first.revision, "a transaction that changes nothing keeps the revision")
    #expect(second.responses.first?.keyValues.first?.value == data("me"), "the failure branch ran")
    let current = try #require(try await store.get("lock"))
    let stale = try await store.commit(
      Transaction(compare: [.modRevision("lock", .equal, current.modRevision - 1)], success: [.put("lock", data("stale"))]))
    #expect(!stale.succeeded)
    let fresh = try await store.commit(
      Transaction(compare: [.modRevision("lock", .equal, current.modRevision), .value("lock", .equal, data("me"))],
                  success: [.put("lock", data("next")), .put("lock-owner", data("next"))]))
    #expect(fresh.succeeded && fresh.revision == current.modRevision + 1)
    #expect(try await store.get("lock-owner")?.modRevision == fresh.revision, "every write of a transaction shares its revision")
    #expect(!(try await store.commit(Transaction(compare: [.value("nope", .equal, data(""))], success: [.put("x", data("x"))]))).succeeded,
            "a value comparison against a missing key fails")
  }

  static func refusals(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    let before = try await store.revision()
    await #expect(throws: StoreError.self) { try await store.commit(Transaction(success: [.put("k", data("1")), .put("k", data("2"))])) }
    await #expect(throws: StoreError.self) { try await store.put("", data("x")) }
    await #expect(throws: StoreError.self) {
      try await store.commit(Transaction(success: [.put("ok", data("1")), .put("leased", data("2"), lease: LeaseID(424_242))]))
    }
    #expect(try await store.get("ok") == nil, "nothing of a refused transaction is applied")
    #expect(try await store.revision() == before)
  }

  static func concurrentIncrements(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    try await store.put("counter", data("0"))
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<20 {
        group.addTask {
          while true {
            let current = try #require(try await store.get("counter"))
            let next = Int(String(decoding: current.value, as: UTF8.self))! + 1
            let result = try await store.commit(
              Transaction(compare: [.modRevision("counter", .equal, current.modRevision)], success: [.put("counter", data("\(next)"))]))
            if result.succeeded { return }
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(try await store.get("counter")?.value == data("20"))
  }

  static func leases(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    let lease = try await store.grantLease(ttl: .seconds(3))
    #expect(lease.ttl >= .seconds(3))
    try await store.put("ephemeral/a", data("a"), lease: lease.id)
    try await store.put("ephemeral/b", data("b"), lease: lease.id)
    try await store.put("durable", data("d"))
    #expect(try await store.get("ephemeral/a")?.lease == lease.id)
    try await fixture.advance(.seconds(2))
    _ = try await store.keepAlive(lease.id)
    try await fixture.advance(.seconds(2))
    #expect(try await store.range(prefix: "ephemeral/").keyValues.count == 2, "renewed in time")
    let before = try await store.revision()
    try await fixture.advance(lease.ttl + .seconds(2))
    #expect(try await store.range(prefix: "ephemeral/").keyValues.isEmpty, "expired: its keys are gone")
    #expect(try await store.revision() == before + 1, "both keys went at one revision")
    #expect(try await store.get("durable") != nil)
    await #expect(throws: StoreError.leaseNotFound(lease.id)) { _ = try await store.keepAlive(lease.id) }
    await #expect(throws: StoreError.leaseNotFound(lease.id)) { try await store.put("late", data("x"), lease: lease.id) }

    let revoked = try await store.grantLease(ttl: .seconds(60))
    try await store.put("ephemeral/c", data("c"), lease: revoked.id)
    try await store.revokeLease(revoked.id)
    #expect(try await store.get("ephemeral/c") == nil)
    await #expect(throws: StoreError.self) { try await store.revokeLease(revoked.id) }
  }

  static func watches(_ fixture: StoreFixture) async throws {
    let store = fixture.store
    let first = try await store.put("w/1", data("1"))
    try await store.put("other", data("x"))
    try await store.commit(Transaction(success: [.put("w/2", data("2")), .put("w/3", data("3"))]))
    var events = store.watch(prefix: "w/", fromRevision: first).makeAsyncIterator()
    let replayed1 = try #require(try await events.next())
    #expect(replayed1.map(\.keyValue.key) == ["w/1"] && replayed1.first?.revision == first)
    let replayed2 = try #require(try await events.next())
    #expect(replayed2.map(\.keyValue.key) == ["w/2", "w/3"], "one element per revision; other prefixes left out")
    try await store.delete("w/1")
    try await store.put("other", data("y"))
    try await store.put("w/2", data("22"))
    let deleted = try #require(try await events.next())
    #expect(deleted.first?.kind == .delete && deleted.first?.keyValue.key == "w/1")
    let updated = try #require(try await events.next())
    #expect(updated.first?.kind == .put && updated.first?.keyValue.value == data("22") && updated.first?.keyValue.version == 2)

    // From the next revision: exactly what is written after the read, with no race.
    var live = store.watch(prefix: "w/", fromRevision: try await store.revision() + 1).makeAsyncIterator()
    let latest = try await store.put("w/4", data("4"))
    let next = try #require(try await live.next())
    #expect(next.first?.revision == latest)
  }
}
