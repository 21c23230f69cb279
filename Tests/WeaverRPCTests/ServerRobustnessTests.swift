import NIOCore
import Testing
import WeaverCore
import WeaverRPC
import WeaverThrift

/// Bad frames, slowloris connections, oversized requests, too many connections and idle
/// connections are cut off, each without disturbing the other connections.
@Suite struct ServerRobustnessTests {
  static func configuration() -> ThriftServerConfiguration {
    var configuration = ThriftServerConfiguration()
    configuration.limits.maxFrameSize = 64 << 10
    configuration.limits.partialFrameTimeout = .milliseconds(200)
    configuration.limits.maxConnections = 8
    return configuration
  }

  /// Checks that a well-behaved client is still served.
  func stillServes(_ port: Int) async throws {
    let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
    defer { client.close() }
    #expect(try await InteropService.Client(channel: client).add(a: 2, b: 3) == 5)
  }

  @Test func bytesThatAreNoThriftCloseOnlyTheirConnection() async throws {
    try await withServer(interopServices(), configuration: Self.configuration()) { _, port in
      let raw = try await RawConnection.connect(port: port)
      try await raw.send(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
      #expect(await raw.closedByPeer(within: .seconds(10)))
      try await stillServes(port)
    }
  }

  @Test func aFrameLeftHalfSentIsCutOff() async throws {
    try await withServer(interopServices(), configuration: Self.configuration()) { _, port in
      let raw = try await RawConnection.connect(port: port)
      // A TTHeader frame of 100 bytes, of which 10 arrive.
      try await raw.send(ByteBuffer(bytes: [0, 0, 0, 100, 0x10, 0, 0, 0, 0, 1]))
      try await stillServes(port)
      #expect(await raw.closedByPeer(within: .seconds(10)), "the slowloris connection is closed after the partial-frame timeout")
    }
  }

  @Test func anOversizedFrameIsRefused() async throws {
    try await withServer(interopServices(), configuration: Self.configuration()) { _, port in
      let raw = try await RawConnection.connect(port: port)
      // Declares 1 MiB against a 64 KiB limit: refused before the bytes arrive.
      try await raw.send(ByteBuffer(bytes: [0, 0x10, 0, 0, 0x80, 0x01, 0, 1]))
      #expect(await raw.closedByPeer(within: .seconds(10)))
      try await stillServes(port)
    }
  }

  @Test func anOversizedRequestFromAClientFailsCleanly() async throws {
    try await withServer(interopServices(), configuration: Self.configuration()) { _, port in
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      let huge = Payload(text: String(repeating: "x", count: 100 << 10))
      await #expect { _ = try await interop.echo(payload: huge) } throws: { RPCErrorMatcher.connectionClosedOrProtocolError($0) }
      try await stillServes(port)
    }
  }

  @Test func connectionsOverTheLimitAreClosed() async throws {
    var configuration = Self.configuration()
    configuration.limits.maxConnections = 2
    try await withServer(interopServices(), configuration: configuration) { server, port in
      // Accepts run on several event loops: wait for each before the next connects.
      let first = try await RawConnection.connect(port: port)
      #expect(await eventually { server.openConnections == 1 })
      let second = try await RawConnection.connect(port: port)
      #expect(await eventually { server.openConnections == 2 })
      defer {
        first.close()
        second.close()
      }
      let third = try await RawConnection.connect(port: port)
      #expect(await third.closedByPeer(within: .seconds(10)))
      #expect(!(await first.closedByPeer(within: .milliseconds(100))))
      #expect(server.openConnections == 2)
      first.close()
      #expect(await eventually { server.openConnections == 1 })
      try await stillServes(port)
    }
  }

  @Test func idleConnectionsAreClosed() async throws {
    var configuration = Self.configuration()
    configuration.limits.idleTimeout = .milliseconds(200)
    try await withServer(interopServices(), configuration: configuration) { _, port in
      let raw = try await RawConnection.connect(port: port)
      #expect(await raw.closedByPeer(within: .seconds(10)))
    }
  }
}

/// Matches an error of either code, for failures whose exact moment is a race.
enum RPCErrorMatcher {
  static let connectionClosedOrProtocolError: @Sendable (any Error) -> Bool = { error in
    guard let error = error as? RPCError else { return false }
    return error.code == .connectionClosed || error.code == .protocolError
  }
}
