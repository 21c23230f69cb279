import Foundation
import NIOPosix
import Testing
import WeaverAdmin
import WeaverTelemetry
import WeaverTestSupport

/// `/debug/snapshot` over a real socket, and `weaver debug snapshot` printing it.
@Suite(.timeLimit(.minutes(2)), .serialized) struct RuntimeSnapshotTests {
  static var weaver: String { ExternalTool.productsDirectory.appendingPathComponent("weaver").path }

  @Test func theSnapshotShowsTheProcessItsEndpointsAndItsCalls() async throws {
    try await MetricsExpositionTests.withMeasuredCalls { adminPort in
      let text = try await MetricsExpositionTests.get("http://127.0.0.1:\(adminPort)/debug/snapshot")
      let snapshot = try JSONDecoder().decode(RuntimeSnapshot.self, from: Data(text.utf8))
      #expect(snapshot.process.pid > 0)
      #expect((snapshot.process.residentBytes ?? 0) > 1_000_000)
      #expect((snapshot.process.heapInUseBytes ?? 0) > 0 && (snapshot.process.threads ?? 0) > 0)
      #expect((snapshot.process.openFiles ?? 0) > 0 && snapshot.process.uptimeSeconds != nil)
      #expect(!snapshot.eventLoopLagMilliseconds.isEmpty && snapshot.eventLoopLagMilliseconds.allSatisfy { $0 != nil })
      let server = try #require(snapshot.servers.first { $0.name == "echo" })
      #expect(server.transport.connectionsOpened == 1 && server.transport.bytesReceived > 0)
      let client = try #require(snapshot.clients.first { $0.name == "EchoService" })
      #expect(client.transport.bytesSent == server.transport.bytesReceived)
      let served = try #require(snapshot.calls.first { $0.side == .server && $0.method == "echo" })
      #expect(served.calls == 5 && served.inFlight == 0 && served.p99Milliseconds != nil)
      #expect(snapshot.calls.contains { $0.side == .client && $0.method == "echo" && $0.calls == 5 })

      let printed = try await ExternalTool.run([Self.weaver, "debug", "snapshot", "127.0.0.1:\(adminPort)"], hint: "swift build --product weaver")
      #expect(printed.contains("PROCESS  pid"), "\(printed)")
      #expect(printed.contains("EVENT LOOP LAG"))
      #expect(printed.contains("SERVERS") && printed.contains("echo "))
      #expect(printed.contains("server  EchoService/echo"))
      #expect(printed.contains("BREAKERS NOT CLOSED"))
    }
  }

  @Test func anUnreachableEndpointIsExitStatusThree() async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.weaver)
    process.arguments = ["debug", "snapshot", "127.0.0.1:1", "--timeout", "2s"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    try await ExternalTool.onOwnThread { process.waitUntilExit() }
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 3)
    #expect(message.contains("weaver debug snapshot: cannot read http://127.0.0.1:1/debug/snapshot"), "\(message)")
  }

  /// A blocked event loop shows as stalled (nil) instead of holding the snapshot up: the
  /// snapshot is what an operator reads when a loop is stuck.
  @Test func aBlockedEventLoopIsReportedAsStalledNotWaitedFor() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let release = DispatchSemaphore(value: 0)
    let blocked = DispatchSemaphore(value: 0)
    group.next().execute {
      blocked.signal()
      release.wait()
    }
    try await ExternalTool.onOwnThread { blocked.wait() }
    let snapshot = await RuntimeSnapshotSources(eventLoopGroup: group).take(loopTimeout: .milliseconds(100))
    release.signal()
    #expect(snapshot.eventLoopLagMilliseconds == [nil])
    try await group.shutdownGracefully()
  }
}
