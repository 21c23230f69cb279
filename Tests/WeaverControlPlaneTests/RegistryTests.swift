import Foundation
import Testing
import WeaverControlPlane
import WeaverControlPlaneModels
import WeaverCore
import WeaverStore
import WeaverTesting

/// The registry over a real SQLite store, its time on a manual clock: health, removal,
/// protection, filters and blocking queries, deterministic.
@Suite(.timeLimit(.minutes(2))) struct RegistryTests {
  struct Fixture {
    let registry: Registry
    let store: SQLiteStore
    let clock: ManualClock
    let directory: String

    /// Moves time on and lets the store expire leases.
    func advance(_ duration: Duration) async throws {
      clock.advance(by: duration)
      try await store.expireLeases()
    }

    func close() async throws {
      try await store.close()
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  static func fixture() async throws -> Fixture {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-registry-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let clock = ManualClock()
    let store = try await SQLiteStore.open(path: directory + "/store.sqlite", time: TimeSource(clock))
    return Fixture(registry: Registry(store: store, time: TimeSource(clock)), store: store, clock: clock, directory: directory)
  }

  @Test func anEphemeralInstanceTurnsUnhealthyThenIsRemovedWithoutHeartbeats() async throws {
    let f = try await Self.fixture()
    let record = try await f.registry.register(
      service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 9090, releaseTag: "canary", ttlSeconds: 15, removeAfterSeconds: 30))
    #expect(record.id == "10.0.0.1:9090" && record.weight == 100 && record.protocol == "thrift" && record.ephemeral)
    try await f.advance(.seconds(10))
    try await f.registry.heartbeat(service: "Feed", id: record.id)
    try await f.advance(.seconds(10))
    #expect(try await f.registry.instances(service: "Feed").instances.first?.healthy == true, "renewed in time")
    try await f.advance(.seconds(6))
    let unhealthy = try await f.registry.instances(service: "Feed")
    #expect(unhealthy.instances.map(\.healthy) == [false], "16 s without a heartbeat: unhealthy, still listed")
    #expect(try await f.registry.instances(service: "Feed", filter: InstanceFilter(healthyOnly: true)).instances.isEmpty)
    try await f.registry.heartbeat(service: "Feed", id: record.id)
    #expect(try await f.registry.instances(service: "Feed").instances.first?.healthy == true, "a heartbeat brings it back")
    try await f.advance(.seconds(31))
    #expect(try await f.registry.instances(service: "Feed").instances.isEmpty, "31 s without one: removed")
    await #expect(throws: RegistryError.self) { try await f.registry.heartbeat(service: "Feed", id: record.id) }
    try await f.close()
  }

  @Test func persistentInstancesStayAndDeregisterRemoves() async throws {
    let f = try await Self.fixture()
    _ = try await f.registry.register(service: "User", InstanceRegistration(host: "10.0.0.2", port: 1, id: "user-a", ephemeral: false))
    try await f.advance(.seconds(3600))
    #expect(try await f.registry.instances(service: "User").instances.map(\.id) == ["user-a"])
    try await f.registry.deregister(service: "User", id: "user-a")
    #expect(try await f.registry.instances(service: "User").instances.isEmpty)
    await #expect(throws: RegistryError.notFound("no instance 'user-a' of User")) { try await f.registry.deregister(service: "User", id: "user-a") }
    try await f.close()
  }

  @Test func reRegisteringReplacesTheInstanceAndItsLeases() async throws {
    let f = try await Self.fixture()
    let first = InstanceRegistration(host: "10.0.0.1", port: 9090, weight: 10, ttlSeconds: 5, removeAfterSeconds: 10)
    _ = try await f.registry.register(service: "Feed", first)
    var second = first
    second.weight = 50
    _ = try await f.registry.register(service: "Feed", second)
    try await f.advance(.seconds(6))
    try await f.registry.heartbeat(service: "Feed", id: "10.0.0.1:9090")
    try await f.advance(.seconds(6))
    let instances = try await f.registry.instances(service: "Feed").instances
    #expect(instances.map(\.weight) == [50] && instances.first?.healthy == false, "one instance, the new weight; the old leases are gone")
    try await f.close()
  }

  @Test func filtersAndTheProtectionThreshold() async throws {
    let f = try await Self.fixture()
    for (index, tag) in ["stable", "stable", "canary", "stable"].enumerated() {
      _ = try await f.registry.register(
        service: "Feed", InstanceRegistration(host: "10.0.0.\(index)", port: 80, region: index < 2 ? "eu" : "us", releaseTag: tag, ttlSeconds: 10))
    }
    #expect(try await f.registry.instances(service: "Feed", filter: InstanceFilter(releaseTag: "canary")).instances.map(\.host) == ["10.0.0.2"])
    #expect(try await f.registry.instances(service: "Feed", filter: InstanceFilter(region: "eu")).instances.count == 2)
    try await f.registry.setSettings(service: "Feed", ServiceSettings(protectionThreshold: 0.5))
    try await f.advance(.seconds(8))
    for index in [0] { try await f.registry.heartbeat(service: "Feed", id: "10.0.0.\(index):80") }
    try await f.advance(.seconds(4))
    // One of four healthy (25 % < 50 %): every instance comes back, marked.
    let protected = try await f.registry.instances(service: "Feed", filter: InstanceFilter(healthyOnly: true))
    #expect(protected.protectionApplied && protected.instances.count == 4 && protected.instances.count(where: \.healthy) == 1)
    try await f.registry.setSettings(service: "Feed", ServiceSettings(protectionThreshold: 0))
    #expect(try await f.registry.instances(service: "Feed", filter: InstanceFilter(healthyOnly: true)).instances.count == 1)
    #expect(try await f.registry.services() == [ServiceSummary(service: "Feed", instances: 4, healthy: 1)])
    try await f.close()
  }

  @Test func aBlockingQueryReturnsOnTheNextChangeOrAtItsTimeout() async throws {
    let f = try await Self.fixture()
    _ = try await f.registry.register(service: "Feed", InstanceRegistration(host: "10.0.0.1", port: 80, ephemeral: false))
    let index = try await f.registry.instances(service: "Feed").index
    // A change to another service does not wake it; one to this service does.
    async let woke: Void = f.registry.waitForChange(service: "Feed", after: index, timeout: .seconds(30))
    _ = try await f.registry.register(service: "Other", InstanceRegistration(host: "10.0.0.9", port: 80, ephemeral: false))
    _ = try await f.registry.register(service: "Feed", InstanceRegistration(host: "10.0.0.2", port: 80, ephemeral: false))
    try await woke
    #expect(try await f.registry.instances(service: "Feed").instances.count == 2)
    // Nothing changes: it returns when its wait is over (manual time).
    let latest = try await f.registry.instances(service: "Feed").index
    async let timedOut: Void = f.registry.waitForChange(service: "Feed", after: latest, timeout: .seconds(30))
    while f.clock.sleeperCount == 0 { await Task.yield() }
    f.clock.advance(by: .seconds(30))
    try await timedOut
    // An index ahead of the store (it was reset): at once.
    try await f.registry.waitForChange(service: "Feed", after: latest + 1000, timeout: .seconds(30))
    try await f.close()
  }

  @Test(arguments: [
    (InstanceRegistration(host: "", port: 80), "host"),
    (InstanceRegistration(host: "a", port: 0), "port"),
    (InstanceRegistration(host: "a", port: 80, id: "a/b"), "instance id"),
    (InstanceRegistration(host: "a", port: 80, weight: -1), "weight"),
    (InstanceRegistration(host: "a", port: 80, protocol: "smtp"), "protocol"),
    (InstanceRegistration(host: "a", port: 80, ttlSeconds: 20, removeAfterSeconds: 10), "removeAfterSeconds"),
  ])
  func badRegistrationsAreRefusedWithTheField(registration: InstanceRegistration, field: String) async throws {
    let f = try await Self.fixture()
    let error = await #expect(throws: RegistryError.self) { try await f.registry.register(service: "Feed", registration) }
    #expect(error?.description.contains(field) == true, "\(error?.description ?? "")")
    await #expect(throws: RegistryError.self) { try await f.registry.register(service: "bad name", InstanceRegistration(host: "a", port: 1)) }
    try await f.close()
  }
}
