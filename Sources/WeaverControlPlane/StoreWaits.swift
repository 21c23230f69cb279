import WeaverCore
import WeaverStore

/// Consul-style waits on the store, shared by the registry and the config center.
enum StoreWaits {
  /// Returns once anything under `prefix` changes after revision `index` (with that
  /// change's revision), or `timeout` passes (nil); at once when `index` is ahead of the
  /// store (it was reset) or negative.
  @discardableResult
  static func waitForChange(in store: any Store, prefix: String, after index: Int64, timeout: Duration, time: TimeSource) async throws(StoreError) -> Int64? {
    try await waitForChange(in: store, prefixes: [prefix], after: index, timeout: timeout, time: time)
  }

  /// ``waitForChange(in:prefix:after:timeout:time:)`` for the first change under any of
  /// `prefixes`.
  @discardableResult
  static func waitForChange(in store: any Store, prefixes: [String], after index: Int64, timeout: Duration, time: TimeSource) async throws(StoreError) -> Int64? {
    let current = try await store.revision()
    guard index <= current, index >= 0 else { return nil }
    let watches = prefixes.map { store.watch(prefix: $0, fromRevision: index + 1) }
    return await withTaskGroup(of: Int64?.self) { group in
      for changes in watches {
        group.addTask {
          var iterator = changes.makeAsyncIterator()
          return (try? await iterator.next())?.first?.revision
        }
      }
      group.addTask {
        try? await time.sleep(timeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
  }
}
