import Foundation
import Testing
import WeaverCore
import WeaverRPC

/// SIGTERM to a server process under load: every call the client sent is answered, or
/// refused in a way our client knows is safe to send again; none is lost with a connection.
extension ServerProcessTests {
@Suite struct GracefulDrainTests {
  /// Failures that mean a call was never processed: the connect was refused (the server had
  /// stopped listening), or a draining server said it did not read it (after resends).
  static let notProcessed: Set<String> = [RPCError.Code.connectFailed.name, RPCError.Code.shuttingDown.name]

  @Test(arguments: [ThriftTransport.ttheader, .framed])
  func twentySigtermsUnderLoadLoseNoCall(transport: ThriftTransport) async throws {
    for round in 1...20 {
      try await EchoServerProcess.with { server in
        // TTHeader: 2 connections × 16 calls, like `weaver bench`; Framed: a connection per call.
        var configuration = ThriftClientConfiguration(transport: transport, connectTimeout: .testConnectTimeout)
        configuration.maxConnectionsPerInstance = transport == .ttheader ? 2 : 32
        configuration.maxConcurrentCallsPerConnection = 16
        let client = try ThriftClient(addresses: [server.address], configuration: configuration)
        defer { client.close() }
        let load = EchoLoad(client: client)
        async let running: Void = load.run(callers: 32)
        #expect(await eventually(within: .seconds(10)) { load.snapshot.succeeded >= 300 }, "round \(round): calls flow")
        server.signal(SIGTERM)
        let status = await server.waitForExit()
        load.stop()
        await running
        let outcome = load.snapshot
        let lost = outcome.failures.filter { !Self.notProcessed.contains($0.key) }
        #expect(status == 0, "round \(round): the server exits cleanly after draining")
        #expect(lost.isEmpty, "round \(round): calls lost: \(lost) (all failures: \(outcome.failures), \(outcome.examples))")
      }
    }
  }

  @Test func theStandaloneEchoServerServesAndDrainsOnSigterm() async throws {
    let server = try await EchoServerProcess.start(standalone: true)
    let client = try ThriftClient(addresses: [server.address], configuration: .forTests)
    defer { client.close() }
    #expect(try await EchoLoadProbe.call(client) == "probe")
    server.signal(SIGTERM)
    #expect(await server.waitForExit() == 0)
  }

  /// With ten minutes to drain, an exit at all shows that idle connections were not waited
  /// for (no wall-clock bound, which a loaded machine would break).
  @Test(.timeLimit(.minutes(1))) func anIdleServerExitsAtOnce() async throws {
    try await EchoServerProcess.with(["--drain-timeout", "10m"]) { server in
      // One idle connection of our client, one that never spoke.
      let client = try ThriftClient(addresses: [server.address], configuration: .forTests)
      defer { client.close() }
      _ = try await EchoLoadProbe.call(client)
      let raw = try await RawConnection.connect(port: server.port)
      defer { raw.close() }
      server.signal(SIGTERM)
      #expect(await server.waitForExit() == 0)
    }
  }
}
}
