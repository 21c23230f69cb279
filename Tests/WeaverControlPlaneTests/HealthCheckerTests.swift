import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WeaverControlPlane
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore
import WeaverTestSupport
import WeaverTesting

/// Active health checks against real sockets, on a manual clock: TCP and HTTP checks turn
/// persistent instances healthy and unhealthy after the counts in a row their checks ask
/// for, and queries see it.
@Suite(.timeLimit(.minutes(1))) struct HealthCheckerTests {
  /// A registry, a checker on a manual clock, and the clock.
  static func withChecker(_ body: (Registry, HealthChecker, ManualClock) async throws -> Void) async throws {
    let clock = ManualClock()
    try await TemporaryStore.with { store in
      try await body(Registry(store: store), HealthChecker(store: store, time: TimeSource(clock)), clock)
    }
  }

  /// A TCP listener on loopback that accepts and closes; `close()` it to make checks fail.
  static func listener() async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { $0.close() }
      .bind(host: "127.0.0.1", port: 0).get()
  }

  static func healthy(_ registry: Registry, _ service: String) async throws -> [String: Bool] {
    Dictionary(uniqueKeysWithValues: try await registry.instances(service: service).instances.map { ($0.id, $0.healthy) })
  }

  @Test func aTCPCheckTurnsAnInstanceHealthyThenUnhealthyAfterTwoFailures() async throws {
    try await Self.withChecker { registry, checker, clock in
      let up = try await Self.listener()
      let port = try #require(up.localAddress?.port)
      _ = try await registry.register(
        service: "db", InstanceRegistration(host: "127.0.0.1", port: port, id: "up", ephemeral: false, check: HealthCheck(type: "tcp")))
      _ = try await registry.register(
        service: "db", InstanceRegistration(host: "127.0.0.1", port: 1, id: "down", ephemeral: false, check: HealthCheck(type: "tcp")))
      #expect(try await Self.healthy(registry, "db") == ["up": false, "down": false], "unhealthy until the check first passes")
      try await checker.refresh()
      #expect(checker.count == 2)
      await checker.checkDue()
      #expect(try await Self.healthy(registry, "db") == ["up": true, "down": false])

      try await up.close()
      clock.advance(by: .seconds(10))
      await checker.checkDue()
      #expect(try await Self.healthy(registry, "db")["up"] == true, "one failure is not enough (unhealthyAfter 2)")
      clock.advance(by: .seconds(5))
      await checker.checkDue()
      #expect(try await Self.healthy(registry, "db")["up"] == true, "not due before its interval")
      clock.advance(by: .seconds(5))
      await checker.checkDue()
      #expect(try await Self.healthy(registry, "db")["up"] == false)
      #expect(try await registry.instances(service: "db", filter: InstanceFilter(healthyOnly: true)).instances.isEmpty)
    }
  }

  @Test func anHTTPCheckPassesOn2xxAnd3xxOnly() async throws {
    let status = Mutex(HTTPResponse.Status.serviceUnavailable)
    let router = Router()
    router.get("healthz") { _, _ in Response(status: status.withLock { $0 }) }
    let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await application.test(.live) { client in
      let port = try #require(client.port)
      try await Self.withChecker { registry, checker, clock in
        let check = HealthCheck(type: "http", path: "/healthz", intervalSeconds: 5, unhealthyAfter: 1, healthyAfter: 2)
        _ = try await registry.register(service: "api", InstanceRegistration(host: "127.0.0.1", port: port, id: "a", ephemeral: false, check: check))
        _ = try await registry.register(
          service: "api",
          InstanceRegistration(host: "127.0.0.1", port: port, id: "wrong-path", ephemeral: false, check: HealthCheck(type: "http", path: "/nope")))
        try await checker.refresh()
        await checker.checkDue()
        #expect(try await Self.healthy(registry, "api") == ["a": false, "wrong-path": false], "503 and 404 fail")

        status.withLock { $0 = .noContent }
        clock.advance(by: .seconds(5))
        await checker.checkDue()
        #expect(try await Self.healthy(registry, "api")["a"] == false, "one pass of the two it needs")
        clock.advance(by: .seconds(5))
        await checker.checkDue()
        #expect(try await Self.healthy(registry, "api")["a"] == true)
        status.withLock { $0 = .movedPermanently }
        clock.advance(by: .seconds(5))
        await checker.checkDue()
        #expect(try await Self.healthy(registry, "api")["a"] == true, "3xx passes")
        status.withLock { $0 = .internalServerError }
        clock.advance(by: .seconds(5))
        await checker.checkDue()
        #expect(try await Self.healthy(registry, "api")["a"] == false, "unhealthyAfter 1")
      }
    }
  }

  @Test(arguments: [
    (HealthCheck(type: "tcp"), true, "for persistent instances"),
    (HealthCheck(type: "icmp"), false, "check.type must be tcp or http"),
    (HealthCheck(type: "tcp", path: "/x"), false, "check.path is for http checks"),
    (HealthCheck(type: "http", path: "health"), false, "check.path must start with '/'"),
    (HealthCheck(type: "tcp", intervalSeconds: 5, timeoutSeconds: 6), false, "check.timeoutSeconds must be in 1…5"),
    (HealthCheck(type: "tcp", unhealthyAfter: 0), false, "check.unhealthyAfter must be in 1…10"),
  ])
  func badChecksAreRefused(check: HealthCheck, ephemeral: Bool, reason: String) async throws {
    try await Self.withChecker { registry, _, _ in
      let error = await #expect(throws: RegistryError.self) {
        try await registry.register(service: "db", InstanceRegistration(host: "h", port: 5432, ephemeral: ephemeral, check: check))
      }
      #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }
  }

  /// `weaver server` runs the checks itself: a watcher by blocking query sees a checked
  /// instance turn healthy, then unhealthy once its port closes.
  @Test func theServerProcessRunsTheChecks() async throws {
    let up = try await Self.listener()
    let port = try #require(up.localAddress?.port)
    try await ExternalTool.withTemporaryDirectory { directory in
      try await ExternalTool.withListeningProcess(
        [CtlCommandTests.weaver, "server", "--data-dir", directory.path, "--listen", "127.0.0.1:0"], hint: "build it first: swift build --product weaver"
      ) { serverPort in
        let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:\(serverPort)"]))
        _ = try await client.register(
          service: "db",
          InstanceRegistration(host: "127.0.0.1", port: port, ephemeral: false, check: HealthCheck(type: "tcp", intervalSeconds: 1, timeoutSeconds: 1, unhealthyAfter: 1)))
        var answer = try await client.instances(service: "db")
        // (It may have turned healthy already: the server checks a new instance at once.)
        #expect(answer.instances.first?.check?.intervalSeconds == 1)
        while answer.instances.first?.healthy != true { answer = try await client.instances(service: "db", index: answer.index, wait: .seconds(10)) }
        try await up.close()
        while answer.instances.first?.healthy != false { answer = try await client.instances(service: "db", index: answer.index, wait: .seconds(10)) }
      }
    }
  }
}
