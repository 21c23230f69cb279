import Foundation
import NIOCore
import Testing
import WeaverRPC
import WeaverTestSupport

/// What a new user threw at `weaver bench serve-echo`, as tests: after each attack the
/// server process is still up, answers a newcomer's call, and its memory stayed bounded.
extension ServerProcessTests {
@Suite struct HostileClientTests {
  static let megabyte = 1 << 20

  /// Runs `attack` against a fresh server process, then checks that it survived.
  func survives(
    _ options: [String] = [], memoryGrowthUnder limit: Int = 32 * megabyte,
    _ attack: @Sendable (EchoServerProcess) async throws -> Void
  ) async throws {
    try await EchoServerProcess.with(options) { server in
      _ = try await EchoLoadProbe.freshCall(port: server.port)
      let baseline = try server.residentBytes
      try await attack(server)
      #expect(server.isRunning, "the server process is still up")
      #expect(try await EchoLoadProbe.freshCall(port: server.port) == "probe", "and answers a normal call")
      let growth = try server.residentBytes - baseline
      #expect(growth < limit, "RSS grew \(growth / Self.megabyte) MB")
    }
  }

  @Test func randomBytes() async throws {
    try await survives(["--partial-frame-timeout", "2s"]) { server in
      var random = SystemRandomNumberGenerator()
      for _ in 0..<20 {
        let raw = try await RawConnection.connect(port: server.port)
        try await raw.send(ByteBuffer(bytes: (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &random) }))
        #expect(await raw.closedByPeer(within: .seconds(10)), "a connection of garbage is closed")
      }
    }
  }

  @Test func aFrameHeaderClaimingTwoGigabytes() async throws {
    try await survives { server in
      let raw = try await RawConnection.connect(port: server.port)
      try await raw.send(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x01, 0x00, 0x01]))
      #expect(await raw.closedByPeer(within: .seconds(10)), "refused before any of it is buffered")
    }
  }

  @Test func slowlorisAtOneBytePerSecond() async throws {
    try await survives(["--partial-frame-timeout", "2s"]) { server in
      let raw = try await RawConnection.connect(port: server.port)
      let frame = try EchoFrames.request(bytes: 100, transport: .framed)
      var sent = 0
      for byte in frame.readableBytesView where raw.channel.isActive {
        try? await raw.send(ByteBuffer(bytes: [byte]))
        sent += 1
        #expect(try await EchoLoadProbe.freshCall(port: server.port) == "probe", "others are served meanwhile")
        try await Task.sleep(for: .seconds(1))  // the attack's pace, not a timing assertion
      }
      #expect(!raw.channel.isActive, "cut off at the partial-frame timeout")
      #expect(sent < 5, "after \(sent) bytes")
    }
  }

  /// A connection whose every frame arrives in two writes (as Apache Thrift's Go client
  /// sends them) stays up however long it lives: only a frame that itself stays incomplete
  /// past the timeout is cut off, not a connection that has had partial frames for longer.
  @Test func framesSplitInTwoAreNeverTakenForSlowloris() async throws {
    try await survives(["--partial-frame-timeout", "2s"]) { server in
      let raw = try await RawConnection.connect(port: server.port)
      let frame = try EchoFrames.request(bytes: 100, transport: .framed)
      for sent in 1...12 {
        try await raw.send(frame.getSlice(at: frame.readerIndex, length: 4)!)
        try await Task.sleep(for: .milliseconds(300))  // the client's pace, not a timing assertion
        try await raw.send(frame.getSlice(at: frame.readerIndex + 4, length: frame.readableBytes - 4)!)
        #expect(await eventually { raw.bytesReceived.readableBytes >= sent * 4 + 100 }, "reply \(sent) came")
      }
      #expect(raw.channel.isActive, "3.6 s of split frames under a 2 s partial-frame timeout")
      raw.close()
    }
  }

  @Test func twoThousandIdleConnections() async throws {
    try await survives(memoryGrowthUnder: 48 * Self.megabyte) { server in
      var connections: [RawConnection] = []
      for _ in 0..<2000 { connections.append(try await RawConnection.connect(port: server.port)) }
      #expect(try await EchoLoadProbe.freshCall(port: server.port) == "probe", "served with 2 000 idle connections open")
      #expect(connections.allSatisfy { $0.channel.isActive })
      for connection in connections { connection.close() }
    }
  }

  @Test func nestingOneHundredThousandDeep() async throws {
    try await survives { server in
      // echo() whose args hold an unknown field: list<list<list<…>>> 100 000 deep.
      var message = ByteBuffer()
      message.writeBytes([0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4] + Array("echo".utf8) + [0, 0, 0, 1])
      message.writeBytes([0x0F, 0x00, 0x63])
      for _ in 0..<100_000 { message.writeBytes([0x0F, 0, 0, 0, 1]) }
      let raw = try await RawConnection.connect(port: server.port)
      try await raw.send(try EchoFrames.frame(message, transport: .framed))
      // Answered with an exception (depth limit), or cut off: either way, not a crash.
      #expect(await eventually(within: .seconds(10)) { raw.bytesReceived.readableBytes > 0 || !raw.channel.isActive })
    }
  }

  @Test func truncatedFramesAndResets() async throws {
    try await survives { server in
      let frame = try EchoFrames.request(bytes: 4096, transport: .ttheader)
      for index in 0..<100 {
        let raw = try await RawConnection.connect(port: server.port)
        try await raw.send(frame.getSlice(at: 0, length: 1 + index * 40)!)
        if index.isMultiple(of: 2) { await raw.reset() } else { raw.close() }
      }
    }
  }
}
}
