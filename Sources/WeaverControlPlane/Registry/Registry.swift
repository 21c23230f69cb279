import Foundation
import WeaverControlPlaneModels
import WeaverCore
import WeaverStore

/// The service registry over a ``Store``: instances register, ephemeral ones stay by
/// heartbeats, queries see them with their health, and a blocking query waits for the next
/// change. All state is in the store, so several control-plane replicas on one store serve
/// one registry.
///
/// An ephemeral instance holds two leases: a TTL lease under its health key (missed
/// heartbeats for `ttlSeconds`: unhealthy) and a removal lease under the instance itself
/// (`removeAfterSeconds`: gone). A heartbeat renews both, which is liveness, not a write;
/// only a change of health is one.
public final class Registry: Sendable {
  public let store: any Store
  let time: TimeSource
  let encoder = JSONEncoder()
  let heartbeats: HeartbeatTimes

  public init(store: any Store, time: TimeSource = .continuous) {
    self.store = store
    self.time = time
    self.heartbeats = HeartbeatTimes(time: time)
  }

  /// The instance as the store keeps it: its record and its leases.
  struct Stored: Codable {
    var record: InstanceRecord
    var healthLease: LeaseID?
    var removalLease: LeaseID?
  }

  /// Registers (or re-registers) an instance; returns it as stored.
  public func register(service: String, _ registration: InstanceRegistration) async throws(RegistryError) -> InstanceRecord {
    let record = try RegistryValidation.record(service: service, registration)
    let previous = try await stored(service: service, id: record.id)
    var stored = Stored(record: record)
    do {
      if record.ephemeral {
        stored.healthLease = try await store.grantLease(ttl: .seconds(record.ttlSeconds)).id
        stored.removalLease = try await store.grantLease(ttl: .seconds(record.removeAfterSeconds)).id
      }
      // An instance with a check is unhealthy until the check first passes.
      let health: Transaction.Operation =
        record.check == nil
        ? .put(RegistryKeys.health(service, record.id), Data("1".utf8), lease: stored.healthLease) : .delete(RegistryKeys.health(service, record.id))
      try await store.commit(Transaction(success: [
        .put(RegistryKeys.instance(service, record.id), try encode(stored), lease: stored.removalLease), health,
      ]))
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .invalid("\(error)")
    }
    // The old registration's leases now hold no key; end them.
    for lease in [previous?.healthLease, previous?.removalLease].compactMap({ $0 }) { try? await store.revokeLease(lease) }
    heartbeats.heard(service: service, id: record.id)
    return record
  }

  /// Renews an ephemeral instance; one that had turned unhealthy is healthy again. Throws
  /// ``RegistryError/notFound(_:)`` once it was removed: register again.
  public func heartbeat(service: String, id: String) async throws(RegistryError) {
    try RegistryValidation.serviceName(service)
    try RegistryValidation.instanceID(id)
    guard var stored = try await stored(service: service, id: id) else { throw .notFound("no instance '\(id)' of \(service): register it") }
    guard stored.record.ephemeral, let removal = stored.removalLease else { return }
    do {
      _ = try await store.keepAlive(removal)
      heartbeats.heard(service: service, id: id)
    } catch .leaseNotFound {
      throw .notFound("instance '\(id)' of \(service) was removed after missing heartbeats: register it again")
    } catch {
      throw .store(error)
    }
    if let health = stored.healthLease, (try? await store.keepAlive(health)) != nil { return }
    // Unhealthy until now: a new TTL lease and the health key back, if the registration is
    // still the one read.
    do {
      let lease = try await store.grantLease(ttl: .seconds(stored.record.ttlSeconds))
      stored.healthLease = lease.id
      let instanceKey = RegistryKeys.instance(service, id)
      let current = try await store.get(instanceKey)
      try await store.commit(Transaction(
        compare: [.modRevision(instanceKey, .equal, current?.modRevision ?? -1)],
        success: [
          .put(instanceKey, try encode(stored), lease: removal),
          .put(RegistryKeys.health(service, id), Data("1".utf8), lease: lease.id),
        ]))
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .invalid("\(error)")
    }
  }

  /// Removes an instance now.
  public func deregister(service: String, id: String) async throws(RegistryError) {
    try RegistryValidation.serviceName(service)
    try RegistryValidation.instanceID(id)
    guard let stored = try await stored(service: service, id: id) else { throw .notFound("no instance '\(id)' of \(service)") }
    do {
      try await store.commit(Transaction(success: [
        .delete(RegistryKeys.instance(service, id)), .delete(RegistryKeys.health(service, id)), .delete(RegistryKeys.isolated(service, id)),
      ]))
    } catch {
      throw .store(error)
    }
    for lease in [stored.healthLease, stored.removalLease].compactMap({ $0 }) { try? await store.revokeLease(lease) }
    heartbeats.forget(service: service, id: id)
  }

  /// Takes an instance out of traffic (`isolated`) or re-admits it. Isolation is the
  /// operator's and outlives re-registration; deregistering ends it.
  public func setIsolated(service: String, id: String, _ isolated: Bool) async throws(RegistryError) {
    try RegistryValidation.serviceName(service)
    try RegistryValidation.instanceID(id)
    guard try await stored(service: service, id: id) != nil else { throw .notFound("no instance '\(id)' of \(service)") }
    do {
      if isolated {
        try await store.put(RegistryKeys.isolated(service, id), Data("1".utf8))
      } else {
        try await store.delete(RegistryKeys.isolated(service, id))
      }
    } catch {
      throw .store(error)
    }
  }

  /// How long ago this replica last heard from the instance (registration or heartbeat);
  /// nil when it has not since it started. Heartbeats are liveness, not writes, so each
  /// replica knows only the ones it served.
  public func sinceLastHeartbeat(service: String, id: String) -> Duration? {
    heartbeats.since(service: service, id: id)
  }

  /// A service's instances, filtered; with the revision they were read at.
  public func instances(service: String, filter: InstanceFilter = InstanceFilter()) async throws(RegistryError) -> ServiceInstances {
    try RegistryValidation.serviceName(service)
    let snapshot = try await read(service: service)
    return filter.apply(to: snapshot)
  }

  /// Every service with instances, and how many are healthy.
  public func services() async throws(RegistryError) -> [ServiceSummary] {
    let all: RangeResult
    do {
      all = try await store.range(prefix: RegistryKeys.root)
    } catch {
      throw .store(error)
    }
    var counts: [String: (instances: Int, healthy: Int)] = [:]
    for keyValue in all.keyValues {
      let rest = keyValue.key.dropFirst(RegistryKeys.root.count)
      guard let slash = rest.firstIndex(of: "/") else { continue }
      let service = String(rest[..<slash])
      switch RegistryKeys.entry(keyValue.key, service: service) {
      case .instance: counts[service, default: (0, 0)].instances += 1
      case .health: counts[service, default: (0, 0)].healthy += 1
      case .isolated, .settings, .other: break
      }
    }
    return counts.filter { $0.value.instances > 0 }.sorted { $0.key < $1.key }
      .map { ServiceSummary(service: $0.key, instances: $0.value.instances, healthy: min($0.value.healthy, $0.value.instances)) }
  }

  /// Sets a service's registry settings.
  public func setSettings(service: String, _ settings: ServiceSettings) async throws(RegistryError) {
    try RegistryValidation.serviceName(service)
    if let threshold = settings.protectionThreshold, !(0...1).contains(threshold) {
      throw .invalid("protectionThreshold must be in 0…1; got \(threshold)")
    }
    do {
      try await store.put(RegistryKeys.settings(service), try encode(settings))
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .invalid("\(error)")
    }
  }

  /// Waits until anything of `service` changes after revision `index`, or `timeout`
  /// passes; returns at once when `index` is ahead of the store (it was reset). Consul's
  /// blocking query: the caller then reads again.
  public func waitForChange(service: String, after index: Int64, timeout: Duration) async throws(RegistryError) {
    try RegistryValidation.serviceName(service)
    do {
      try await StoreWaits.waitForChange(in: store, prefix: RegistryKeys.prefix(of: service), after: index, timeout: timeout, time: time)
    } catch {
      throw .store(error)
    }
  }

  // MARK: Store access

  func stored(service: String, id: String) async throws(RegistryError) -> Stored? {
    do {
      guard let keyValue = try await store.get(RegistryKeys.instance(service, id)) else { return nil }
      return try JSONDecoder().decode(Stored.self, from: keyValue.value)
    } catch let error as StoreError {
      throw .store(error)
    } catch {
      throw .invalid("instance '\(id)' of \(service) is unreadable in the store: \(error)")
    }
  }

  /// Everything of one service at one revision.
  func read(service: String) async throws(RegistryError) -> RegistrySnapshot {
    let range: RangeResult
    do {
      range = try await store.range(prefix: RegistryKeys.prefix(of: service))
    } catch {
      throw .store(error)
    }
    var snapshot = RegistrySnapshot(service: service, index: range.revision)
    let decoder = JSONDecoder()
    for keyValue in range.keyValues {
      switch RegistryKeys.entry(keyValue.key, service: service) {
      case .instance:
        if let stored = try? decoder.decode(Stored.self, from: keyValue.value) { snapshot.instances.append(stored.record) }
      case .health(let id):
        snapshot.healthy.insert(id)
      case .isolated(let id):
        snapshot.isolated.insert(id)
      case .settings:
        snapshot.settings = (try? decoder.decode(ServiceSettings.self, from: keyValue.value)) ?? ServiceSettings()
      case .other:
        break
      }
    }
    return snapshot
  }

  private func encode(_ value: some Encodable) throws -> Data {
    try encoder.encode(value)
  }
}
