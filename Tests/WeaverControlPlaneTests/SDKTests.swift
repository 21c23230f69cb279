import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import WeaverControlPlane
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore
import WeaverStore

/// The SDK against a real control plane on a real socket: the registrar registers,
/// heartbeats and deregisters; the resolver follows by blocking queries, fails over
/// between replicas, and keeps the last known set while the control plane is away.
@Suite(.timeLimit(.minutes(1))) struct SDKTests {
  /// A control plane on `port` (0: any) over `store`, in a service group (shut it down
  /// gracefully, as `weaver server` is on SIGTERM).
  static func startServer(store: any Store, port: Int = 0) async throws -> (RunningServer, Int) {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let server = ControlPlaneServer(store: store, configuration: .init(port: port)) { address in
      continuation.yield(address.port ?? 0)
    }
    var configuration = ServiceGroupConfiguration(services: [.init(service: server)], logger: Logger(label: "test"))
    // As weaver server does: a shutdown that takes longer is cancelled, so a test cannot hang on it.
    configuration.maximumGracefulShutdownDuration = .seconds(5)
    let group = ServiceGroup(configuration: configuration)
    let task = Task {
      // A server that cannot start (its port taken) ends the wait for its port.
      defer { continuation.finish() }
      try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let bound = await iterator.next() else {
      try await task.value
      throw CancellationError()
    }
    return (RunningServer(group: group, task: task), bound)
  }

  struct RunningServer {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    func stop() async throws {
      await group.triggerGracefulShutdown()
      try await task.value
    }
  }

  @Test func registrarAndResolverFollowEachOther() async throws {
    try await TemporaryStore.with { store in try await Self.followEachOther(store) }
  }

  static func followEachOther(_ store: SQLiteStore) async throws {
    let (server, port) = try await Self.startServer(store: store)
    // The first address refuses connections: every request fails over to the second.
    let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1", "http://127.0.0.1:\(port)"]))
    var updates = ControlPlaneResolver(client: client, service: "Feed", wait: .seconds(10)).updates().makeAsyncIterator()
    #expect(try await updates.next() == [], "no instance yet")

    let registrar = Registrar(
      client: client, service: "Feed", registration: InstanceRegistration(host: "10.0.0.1", port: 9090, releaseTag: "canary", labels: ["pool": "a"]))
    var registrarConfiguration = ServiceGroupConfiguration(services: [.init(service: registrar)], logger: Logger(label: "test"))
    registrarConfiguration.maximumGracefulShutdownDuration = .seconds(15)
    let group = ServiceGroup(configuration: registrarConfiguration)
    let running = Task { try await group.run() }
    let registered = try #require(try await updates.next())
    #expect(registered.map(\.address) == ["10.0.0.1:9090"])
    #expect(registered.first?.tags == ["release": "canary", "pool": "a"], "the release tag under the label routing reads")

    await group.triggerGracefulShutdown()
    try await running.value
    #expect(try await updates.next() == [], "deregistered on graceful shutdown")

    // The control plane goes away: the resolver keeps what it had and yields nothing …
    try await server.stop()
    // … and catches up when it is back (same port, same store).
    let (restarted, _) = try await Self.startServer(store: store, port: port)
    _ = try await client.register(service: "Feed", InstanceRegistration(host: "10.0.0.2", port: 9090, ephemeral: false))
    #expect(try await updates.next()?.map(\.address) == ["10.0.0.2:9090"], "the next set, not an empty one in between")
    try await restarted.stop()
  }

  @Test func noReplicaReachableIsOneTypedError() async throws {
    let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1", "http://127.0.0.1:2"]))
    let error = await #expect(throws: ControlPlaneError.self) { _ = try await client.services() }
    #expect(error?.description.contains("127.0.0.1:1") == true && error?.description.contains("127.0.0.1:2") == true, "each replica's reason")
  }

  @Test func aRefusedRegistrationIsNotRetried() async throws {
    try await TemporaryStore.with { store in
      let (server, port) = try await Self.startServer(store: store)
      let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
      let registrar = Registrar(client: client, service: "Feed", registration: InstanceRegistration(host: "h", port: 0))
      let error = await #expect(throws: ControlPlaneError.self) { try await registrar.run() }
      #expect(error?.description.contains("port must be in 1…65535") == true, "\(error?.description ?? "")")
      try await server.stop()
    }
  }
}
