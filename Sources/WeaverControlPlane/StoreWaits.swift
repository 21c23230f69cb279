import WeaverCore
import WeaverStore

/// Consul-style waits on the store, shared by the registry and the config center.
enum StoreWaits {
  /// Returns once anything under `prefix` changes after revision `index`, or `timeout`
  /// passes; at once when `index` is ahead of the store (it was reset) or negative.
  static func waitForChange(in store: any Store, prefix: String, after index: Int64, timeout: Duration, time: TimeSource) async throws(StoreError) {
    try await waitForChange(in: store, prefixes: [prefix], after: index, timeout: timeout, time: time)
  }

  /// ``waitForChange(in:prefix:after:timeout:time:)`` for the first change under any of
  /// `prefixes`.
  static func waitForChange(in store: any Store, prefixes: [String], after index: Int64, timeout: Duration, time: TimeSource) async throws(StoreError) {
    let current = try await store.revision()
    guard index <= current, index >= 0 else { return }
    let watches = prefixes.map { store.watch(prefix: $0, fromRevision: index + 1) }
    await withTaskGroup(of: Void.self) { group in
      for changes in watches {
        group.addTask {
          var iterator = changes.makeAsyncIterator()
          _ = try? await iterator.next()
        }
      }
      group.addTask { try? await time.sleep(timeout) }
      await group.next()
      group.cancelAll()
    }
  }
}
