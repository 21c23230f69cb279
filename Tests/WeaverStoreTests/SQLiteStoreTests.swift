import Foundation
import Testing
import WeaverCore
import WeaverStore
import WeaverStoreConformance
import WeaverTesting

/// The embedded store: the conformance suite on a real SQLite file, with a manual clock
/// for leases; then what only a file-backed store can show.
@Suite(.timeLimit(.minutes(1))) struct SQLiteStoreTests {
  /// A fresh store in a temporary directory, driven by a manual clock.
  static func fixture(historyRevisions: Int = 10_000) async throws -> (StoreFixture, SQLiteStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let clock = ManualClock()
    let store = try await SQLiteStore.open(path: directory + "/store.sqlite", time: TimeSource(clock), historyRevisions: historyRevisions)
    let fixture = StoreFixture(store: store) { duration in
      clock.advance(by: duration)
      try await store.expireLeases()
    }
    return (fixture, store, directory)
  }

  @Test(arguments: StoreConformance.checks)
  func conforms(_ check: StoreCheck) async throws {
    let (fixture, store, directory) = try await Self.fixture()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await check.run(fixture)
    try await store.close()
  }

  @Test func everythingSurvivesAReopen() async throws {
    let (_, store, directory) = try await Self.fixture()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await store.put("kept", Data("1".utf8))
    let lease = try await store.grantLease(ttl: .seconds(30))
    try await store.put("leased", Data("2".utf8), lease: lease.id)
    let revision = try await store.revision()
    try await store.close()

    let clock = ManualClock()
    let reopened = try await SQLiteStore.open(path: directory + "/store.sqlite", time: TimeSource(clock))
    #expect(try await reopened.revision() == revision)
    #expect(try await reopened.get("kept")?.value == Data("1".utf8))
    #expect(try await reopened.keepAlive(lease.id).ttl == .seconds(30), "a lease outlives a restart, with a fresh deadline")
    clock.advance(by: .seconds(31))
    try await reopened.expireLeases()
    #expect(try await reopened.get("leased") == nil)
    try await reopened.close()
  }

  @Test func aWatchBelowTheKeptHistoryIsToldToRelist() async throws {
    let (_, store, directory) = try await Self.fixture(historyRevisions: 10)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for index in 0..<130 { try await store.put("k/\(index % 3)", Data("\(index)".utf8)) }
    var events = store.watch(prefix: "k/", fromRevision: 2).makeAsyncIterator()
    await #expect(throws: StoreError.self) { _ = try await events.next() }
    // From within the kept history it replays.
    var recent = store.watch(prefix: "k/", fromRevision: try await store.revision() - 2).makeAsyncIterator()
    #expect(try await recent.next()?.count == 1)
    try await store.close()
  }
}
