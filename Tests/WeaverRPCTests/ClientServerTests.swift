import Foundation
import NIOCore
import Testing
import WeaverCore
import WeaverRPC
import WeaverThrift

/// Our client against our server, over real loopback sockets.
@Suite struct ClientServerTests {
  static let combinations: [(ThriftTransport, ThriftProtocolID)] = [
    (.ttheader, .binary), (.ttheader, .compact), (.theader, .binary), (.theader, .compact),
    (.framed, .binary), (.framed, .compact), (.buffered, .binary), (.buffered, .compact),
  ]

  /// A client whose calls may take 60 s and whose connects 10 s (tests of deadlines set
  /// their own): with both cores busy, a held call waiting behind 20 others has taken over
  /// the default 5 s, and a loopback connect over the default 1 s.
  func client(_ port: Int, _ transport: ThriftTransport, _ protocol: ThriftProtocolID, configure: (inout ThriftClientConfiguration) -> Void = { _ in }) throws -> ThriftClient {
    var configuration = ThriftClientConfiguration(
      transport: transport, protocol: `protocol`, connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(60))
    configure(&configuration)
    return try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
  }

  @Test(arguments: combinations)
  func callsWorkOnEveryTransport(transport: ThriftTransport, protocol: ThriftProtocolID) async throws {
    let handler = InteropHandler()
    try await withServer(interopServices(handler)) { _, port in
      let client = try client(port, transport, `protocol`)
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      let payload = Payload(text: "héllo", numbers: [1, 2, 3], extra: ["a": "b"], blob: Data([0, 255]))
      #expect(try await interop.echo(payload: payload) == payload)
      #expect(try await interop.add(a: 40, b: 2) == 42)
      await #expect(throws: Oops(code: 5, message: "failed with 5")) { try await interop.fail(code: 5) }
      let undeclared = await #expect(throws: TApplicationException.self) { try await interop.fail(code: -1) }
      #expect(undeclared?.kind == .internalError)
      try await interop.notify(message: "ping")
      #expect(try await interop.add(a: 1, b: 1) == 2)
      #expect(handler.notifications.withLock { $0 } == ["ping"])
    }
  }

  @Test(arguments: [ThriftTransport.ttheader, .theader])
  func concurrentCallsShareConnectionsAndComeBackOutOfOrder(transport: ThriftTransport) async throws {
    let handler = InteropHandler()
    try await withServer(interopServices(handler)) { _, port in
      let client = try client(port, transport, .binary) { $0.maxConnectionsPerInstance = 1 }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      // The held call is sent first and answered last, on the same connection.
      let held = handler.gate.hold { try await interop.slow(millis: -1) }
      await handler.gate.waitForArrivals(1)
      let sums = try await withThrowingTaskGroup(of: Int64.self) { group in
        for index in 0..<20 { group.addTask { try await interop.add(a: Int64(index), b: 1) } }
        return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
      }
      #expect(sums == Set(1...20), "every call was answered while the first was still held")
      handler.gate.open()
      #expect(try await held.value == "opened")
      #expect(client.connectionCount == 1)
    }
  }

  @Test(arguments: [ThriftTransport.ttheader, .framed])
  func aBurstOfCallsOpensOnlyTheConnectionsItNeeds(transport: ThriftTransport) async throws {
    try await withServer(interopServices()) { _, port in
      let client = try client(port, transport, .binary) {
        $0.maxConnectionsPerInstance = 8
        $0.maxConcurrentCallsPerConnection = 64
        // What is counted is connections, not time: on Framed, 100 calls queue for 8
        // connections, and with the suite's process-spawning tests starting at once on 2
        // cores the default 5 s deadline was seen to run out in CI.
        $0.rpcTimeout = .seconds(60)
      }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      // All 100 calls start before any connection exists.
      let sums = try await withThrowingTaskGroup(of: Int64.self) { group in
        for index in 0..<100 { group.addTask { try await interop.add(a: Int64(index), b: 0) } }
        return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
      }
      #expect(sums == Set(0..<100))
      // Multiplexed: 100 calls fit on 2 connections of 64; exclusive: one call per connection, 8 at most.
      #expect(client.connectionCount == (transport == .ttheader ? 2 : 8))
    }
  }

  @Test func idleConnectionsCloseDownToTheMinimum() async throws {
    try await withServer(interopServices()) { _, port in
      let client = try client(port, .framed, .binary) {
        $0.idleTimeout = .milliseconds(150)
        $0.minIdleConnectionsPerInstance = 1
      }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      try await threeCallsAtOnce(interop)  // Framed: three connections
      #expect(await eventually { client.connectionCount == 1 })
      // The last one outlives several idle periods, and still works.
      try await Task.sleep(for: .milliseconds(500))
      #expect(client.connectionCount == 1)
      #expect(try await interop.add(a: 1, b: 1) == 2)
    }
  }

  @Test func framedConnectionsBeyondTheIdleMaximumCloseWhenReleased() async throws {
    try await withServer(interopServices()) { _, port in
      let client = try client(port, .framed, .binary) { $0.maxIdleConnectionsPerInstance = 1 }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      try await threeCallsAtOnce(interop)
      #expect(await eventually { client.connectionCount == 1 })
    }
  }

  /// Three calls in flight together (each holds a Framed connection for 50 ms).
  private func threeCallsAtOnce(_ interop: InteropService.Client<ThriftClient>) async throws {
    try await withThrowingTaskGroup(of: String.self) { group in
      for _ in 0..<3 { group.addTask { try await interop.slow(millis: 50) } }
      try await group.waitForAll()
    }
  }

  @Test func metadataAndDeadlineTravelOverTTHeader() async throws {
    try await withServer(interopServices()) { _, port in
      let client = try client(port, .ttheader, .binary) { $0.callerName = "tests" }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      let seen = try await CallContext.with(metadata: Metadata(transient: ["hop": "1"], persistent: ["release": "canary"])) {
        try await interop.seen()
      }
      #expect(seen["persist:release"] == "canary")
      #expect(seen["transit:hop"] == "1")
      #expect(seen["caller"] == "tests")
      #expect(seen["deadline"] == "set", "the client's RPC timeout reaches the server")
      #expect(seen["service"] == "InteropService" && seen["method"] == "seen")
    }
  }

  @Test func clientDefaultMetadataGoesWithEveryCallAndTheCallerWins() async throws {
    try await withServer(interopServices()) { _, port in
      let client = try client(port, .ttheader, .binary) {
        $0.defaultMetadata = Metadata(transient: ["zone": "a"], persistent: ["release": "stable", "tenant": "t1"])
      }
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      let plain = try await interop.seen()
      #expect(plain["persist:release"] == "stable" && plain["persist:tenant"] == "t1" && plain["transit:zone"] == "a")
      let overridden = try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) { try await interop.seen() }
      #expect(overridden["persist:release"] == "canary" && overridden["persist:tenant"] == "t1")
    }
  }

  @Test func secondServiceOnTheSamePortIsSelectedByName() async throws {
    try await withServer(interopServices()) { _, port in
      for transport in [ThriftTransport.ttheader, .framed] {
        let client = try client(port, transport, .binary) { $0.multiplexedMessageNames = transport == .framed }
        defer { client.close() }
        #expect(try await SecondService.Client(channel: client).second(text: "y") == "second:y")
      }
    }
  }
}
