import WeaverCore
import WeaverStore

/// Consul-style waits on the store, shared by the registry and the config center.
enum StoreWaits {
  /// Returns once anything under `prefix` changes after revision `index`, or `timeout`
  /// passes; at once when `index` is ahead of the store (it was reset) or negative.
  static func waitForChange(in store: any Store, prefix: String, after index: Int64, timeout: Duration, time: TimeSource) async throws(StoreError) {
    let current = try await store.revision()
    guard index <= current, index >= 0 else { return }
    let changes = store.watch(prefix: prefix, fromRevision: index + 1)
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        var iterator = changes.makeAsyncIterator()
        _ = try? await iterator.next()
      }
      group.addTask { try? await time.sleep(timeout) }
      await group.next()
      group.cancelAll()
    }
  }
}
