import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WeaverControlPlaneModels
import WeaverCore
import WeaverStore

/// Runs the active health checks of persistent instances: follows the registry (a read,
/// then a watch) for instances with a check, runs each check every `intervalSeconds`, and
/// writes a change of health once `unhealthyAfter` failures or `healthyAfter` passes come
/// in a row — as the health key ephemeral instances have, so queries, filters, protection
/// thresholds and blocking queries treat both alike. Each write is conditional on the
/// instance being the one checked (a re-registration meanwhile wins).
///
/// Every control-plane replica on one store runs its own checker; their writes agree.
public final class HealthChecker: Service {
  let store: any Store
  let time: TimeSource
  let logger: Logger
  /// At most this many checks run at once.
  let concurrency = 64
  private let checked = Mutex<[String: Checked]>([:])

  /// An instance under check, keyed by its instance key.
  struct Checked {
    var record: InstanceRecord
    var check: HealthCheck
    /// The instance key's revision: a health write applies only while it holds.
    var revision: Int64
    var healthy: Bool
    var nextDue: Duration
    var passes = 0
    var failures = 0
  }

  public init(store: any Store, time: TimeSource = .continuous, logger: Logger = Logger(label: "cloudweaver.health")) {
    self.store = store
    self.time = time
    self.logger = logger
  }

  /// How many instances are under check.
  public var count: Int { checked.withLock { $0.count } }

  /// Checks until graceful shutdown (then returns) or cancellation.
  public func run() async throws {
    do {
      try await cancelWhenGracefulShutdown {
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await self.follow() }
          group.addTask {
            while true {
              try await self.time.sleep(.seconds(1))
              await self.checkDue()
            }
          }
          try await group.next()
          group.cancelAll()
        }
      }
    } catch is CancellationError where Task.isShuttingDownGracefully {
      // Shut down: nothing left to check.
    }
  }

  /// Reads every instance with a check from the store (keeping the counts of those that
  /// did not change); returns the revision read at.
  @discardableResult
  public func refresh() async throws(StoreError) -> Int64 {
    let all = try await store.range(prefix: RegistryKeys.root)
    var found: [String: (Registry.Stored, Int64)] = [:]
    var healthy: Set<String> = []
    for keyValue in all.keyValues {
      guard let (service, entry) = Self.entry(keyValue.key) else { continue }
      switch entry {
      case .instance:
        if let stored = try? JSONDecoder().decode(Registry.Stored.self, from: keyValue.value), stored.record.check != nil {
          found[keyValue.key] = (stored, keyValue.modRevision)
        }
      case .health(let id): healthy.insert(RegistryKeys.instance(service, id))
      case .isolated, .settings, .other: break
      }
    }
    let now = time.now()
    checked.withLock { checked in
      checked = checked.filter { found[$0.key]?.1 == $0.value.revision }
      for (key, (stored, revision)) in found where checked[key] == nil {
        checked[key] = Checked(record: stored.record, check: stored.record.check!, revision: revision, healthy: healthy.contains(key), nextDue: now)
      }
      for key in checked.keys { checked[key]?.healthy = healthy.contains(key) }
    }
    return all.revision
  }

  /// Runs the checks that are due (at most ``concurrency`` at once) and writes each change
  /// of health; returns when they are written.
  public func checkDue() async {
    let now = time.now()
    let due = checked.withLock { checked in
      checked.filter { $0.value.nextDue <= now }.map { (key: $0.key, record: $0.value.record, check: $0.value.check, revision: $0.value.revision) }
    }
    for batch in stride(from: 0, to: due.count, by: concurrency).map({ Array(due[$0..<min($0 + concurrency, due.count)]) }) {
      let results = await withTaskGroup(of: (Int, Bool).self) { group in
        for (index, item) in batch.enumerated() {
          group.addTask { (index, await HealthProbe.passes(item.check, host: item.record.host, port: item.record.port)) }
        }
        var results = [Bool](repeating: false, count: batch.count)
        for await (index, passed) in group { results[index] = passed }
        return results
      }
      for (item, passed) in zip(batch, results) {
        await record(passed, key: item.key, revision: item.revision, at: now)
      }
    }
  }

  /// Counts one result; writes the change of health it completes.
  private func record(_ passed: Bool, key: String, revision: Int64, at now: Duration) async {
    let change = checked.withLock { checked -> (Checked, Bool)? in
      guard var entry = checked[key], entry.revision == revision else { return nil }
      entry.nextDue = now + .seconds(entry.check.intervalSeconds ?? 10)
      if passed {
        entry.passes += 1
        entry.failures = 0
      } else {
        entry.failures += 1
        entry.passes = 0
      }
      let turn: Bool? =
        if !entry.healthy && entry.passes >= (entry.check.healthyAfter ?? 1) { true }
        else if entry.healthy && entry.failures >= (entry.check.unhealthyAfter ?? 2) { false }
        else { nil }
      if let turn { entry.healthy = turn }
      checked[key] = entry
      return turn.map { (entry, $0) }
    }
    guard let (entry, healthy) = change else { return }
    let record = entry.record
    let health = RegistryKeys.health(record.service, record.id)
    do {
      let result = try await store.commit(Transaction(
        compare: [.modRevision(key, .equal, revision)],
        success: [healthy ? .put(health, Data("1".utf8)) : .delete(health)]))
      if result.succeeded {
        logger.notice("\(record.service) instance \(record.id) is \(healthy ? "healthy" : "unhealthy") (\(entry.check.type) check)")
      }
    } catch {
      logger.warning("cannot write the health of \(record.id) of \(record.service): \(error)")
      checked.withLock { $0[key]?.healthy = !healthy }  // try again on the next result
    }
  }

  /// Follows the registry: a read, then a watch from just after it; a lost watch (history
  /// compacted, the store failing) starts over after a second.
  private func follow() async throws {
    while !Task.isCancelled {
      do {
        let revision = try await refresh()
        for try await events in store.watch(prefix: RegistryKeys.root, fromRevision: revision + 1) { apply(events) }
      } catch is CancellationError {
        return
      } catch {
        logger.debug("registry watch ended (\(error)); reading again")
      }
      try await time.sleep(.seconds(1))
    }
  }

  private func apply(_ events: [WatchEvent]) {
    let now = time.now()
    checked.withLock { checked in
      for event in events {
        let key = event.keyValue.key
        guard let (service, entry) = Self.entry(key) else { continue }
        switch (entry, event.kind) {
        case (.instance, .put):
          guard let stored = try? JSONDecoder().decode(Registry.Stored.self, from: event.keyValue.value), let check = stored.record.check else {
            checked[key] = nil
            continue
          }
          // A (re-)registration starts its counts over, unhealthy until the check passes.
          checked[key] = Checked(record: stored.record, check: check, revision: event.revision, healthy: false, nextDue: now)
        case (.instance, .delete):
          checked[key] = nil
        case (.health(let id), let kind):
          checked[RegistryKeys.instance(service, id)]?.healthy = kind == .put
        default:
          break
        }
      }
    }
  }

  /// The service and kind of a registry key.
  static func entry(_ key: String) -> (String, RegistryKeys.Entry)? {
    let rest = key.dropFirst(RegistryKeys.root.count)
    guard key.hasPrefix(RegistryKeys.root), let slash = rest.firstIndex(of: "/") else { return nil }
    let service = String(rest[..<slash])
    return (service, RegistryKeys.entry(key, service: service))
  }
}
