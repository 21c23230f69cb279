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
  /// gracefully, as `weaver server` is on SIGTERM). A caller cancelled while it starts
  /// cancels it too.
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
    let bound = await withTaskCancellationHandler {
      var iterator = ports.makeAsyncIterator()
      return await iterator.next()
    } onCancel: {
      task.cancel()
    }
    guard let bound else {
      try await task.value
      throw CancellationError()
    }
    return (RunningServer(group: group, task: task), bound)
  }

  /// Runs `body` with a control plane over `store`, stopped afterwards, also when `body`
  /// throws or is cancelled (a failed test leaves no server behind).
  static func withServer<T>(store: any Store, port: Int = 0, _ body: (RunningServer, Int) async throws -> T) async throws -> T {
    let (server, bound) = try await startServer(store: store, port: port)
    do {
      let result = try await body(server, bound)
      try await server.stop()
      return result
    } catch {
      try? await server.stop()
      throw error
    }
  }

  struct RunningServer {
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Shuts the server down gracefully (bounded at 5 s); stopping twice is fine.
    func stop() async throws {
      await group.triggerGracefulShutdown()
      try await task.value
    }
  }

  /// Runs `registrar` in a service group while `body` runs, then shuts it down gracefully
  /// (as a service's SIGTERM does) and waits for it to end.
  static func withRegistrar<T>(_ registrar: Registrar, _ body: () async throws -> T) async throws -> T {
    var configuration = ServiceGroupConfiguration(services: [.init(service: registrar)], logger: Logger(label: "test"))
    configuration.maximumGracefulShutdownDuration = .seconds(15)
    let group = ServiceGroup(configuration: configuration)
    let running = Task { try await group.run() }
    do {
      let result = try await body()
      await group.triggerGracefulShutdown()
      try await running.value
      return result
    } catch {
      await group.triggerGracefulShutdown()
      _ = try? await running.value
      throw error
    }
  }

  @Test func registrarAndResolverFollowEachOther() async throws {
    try await TemporaryStore.with { store in
      try await Self.withServer(store: store) { server, port in
        // The first address refuses connections: every request fails over to the second.
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1", "http://127.0.0.1:\(port)"]))
        var updates = ControlPlaneResolver(client: client, service: "Feed", wait: .seconds(10)).updates().makeAsyncIterator()
        #expect(try await updates.next() == [], "no instance yet")

        let registrar = Registrar(
          client: client, service: "Feed", registration: InstanceRegistration(host: "10.0.0.1", port: 9090, releaseTag: "canary", labels: ["pool": "a"]))
        try await Self.withRegistrar(registrar) {
          let registered = try #require(try await updates.next())
          #expect(registered.map(\.address) == ["10.0.0.1:9090"])
          #expect(registered.first?.tags == ["release": "canary", "pool": "a"], "the release tag under the label routing reads")
        }
        #expect(try await updates.next() == [], "deregistered on graceful shutdown")

        // The control plane goes away: the resolver keeps what it had and yields nothing …
        try await server.stop()
        // … and catches up when it is back (same port, same store).
        try await Self.withServer(store: store, port: port) { _, _ in
          _ = try await client.register(service: "Feed", InstanceRegistration(host: "10.0.0.2", port: 9090, ephemeral: false))
          #expect(try await updates.next()?.map(\.address) == ["10.0.0.2:9090"], "the next set, not an empty one in between")
        }
      }
    }
  }

  /// The control plane accepts a registration whose answer is lost, and the service shuts
  /// down before it arrives: the registrar still deregisters (it knows the id the
  /// registration went out under), so no ghost instance waits for its TTL.
  @Test func aRegistrationWhoseAnswerIsLostIsDeregisteredOnShutdown() async throws {
    try await TemporaryStore.with { store in
      try await Self.withServer(store: store) { _, port in
        let direct = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
        try await AnswerHoldingProxy.with(upstreamPort: port) { proxyPort in
          let throughProxy = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(proxyPort)"]))
          let registrar = Registrar(client: throughProxy, service: "Feed", registration: InstanceRegistration(host: "10.0.0.3", port: 9090))
          try await Self.withRegistrar(registrar) {
            // Registered on the control plane; the registrar still waits for the answer.
            var answer = try await direct.instances(service: "Feed")
            while answer.instances.isEmpty { answer = try await direct.instances(service: "Feed", index: answer.index, wait: .seconds(10)) }
            #expect(answer.instances.map(\.id) == ["10.0.0.3:9090"])
          }
          #expect(try await direct.instances(service: "Feed").instances.isEmpty, "deregistered, not left to expire")
        }
      }
    }
  }

  @Test func noReplicaReachableIsOneTypedError() async throws {
    let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1", "http://127.0.0.1:2"]))
    let error = await #expect(throws: ControlPlaneError.self) { _ = try await client.services() }
    #expect(error?.description.contains("127.0.0.1:1") == true && error?.description.contains("127.0.0.1:2") == true, "each replica's reason")
    // A refused connect never sent the request, and the HTTP client fails every request
    // queued behind a refused attempt: all replicas are tried a second time.
    #expect(error?.description.contains("127.0.0.1:1 (again)") == true && error?.description.contains("127.0.0.1:2 (again)") == true, "\(error?.description ?? "")")
  }

  /// A replica that answers (even with an error) or times out is not tried a second time:
  /// only refused connects are, since only they surely never sent the request.
  @Test func onlyRefusedConnectsAreTriedAgain() async throws {
    try await TemporaryStore.with { store in
      try await Self.withServer(store: store) { _, port in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1", "http://127.0.0.1:\(port)"]))
        let error = await #expect(throws: ControlPlaneError.self) {
          _ = try await client.register(service: "Feed", InstanceRegistration(host: "h", port: 0))
        }
        #expect(error?.description.contains("port must be in 1…65535") == true, "\(error?.description ?? "")")
        let refused = await #expect(throws: ControlPlaneError.self) {
          _ = try await ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:1"])).services()
        }
        #expect(refused?.description.components(separatedBy: "127.0.0.1:1").count == 3, "one first try and one second: \(refused?.description ?? "")")
      }
    }
  }

  @Test func aRefusedRegistrationIsNotRetried() async throws {
    try await TemporaryStore.with { store in
      try await Self.withServer(store: store) { _, port in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(port)"]))
        let registrar = Registrar(client: client, service: "Feed", registration: InstanceRegistration(host: "h", port: 0))
        let error = await #expect(throws: ControlPlaneError.self) { try await registrar.run() }
        #expect(error?.description.contains("port must be in 1…65535") == true, "\(error?.description ?? "")")
      }
    }
  }
}
