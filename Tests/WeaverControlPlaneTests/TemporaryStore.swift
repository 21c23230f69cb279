import Foundation
import WeaverCore
import WeaverStore

/// Fresh SQLite stores for tests, each in a temporary directory of its own.
enum TemporaryStore {
  /// Runs `body` with a new store; closes it and removes its directory afterwards.
  static func with<T>(time: TimeSource = .continuous, _ body: (SQLiteStore) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try await SQLiteStore.open(path: directory + "/store.sqlite", time: time)
    do {
      let result = try await body(store)
      try await store.close()
      return result
    } catch {
      try? await store.close()
      throw error
    }
  }
}
