import Foundation
import Testing
import WeaverRPC

/// A client that keeps sending and never reads its replies cannot run the server out of
/// memory, and other connections are served meanwhile.
extension ServerProcessTests {
@Suite struct BackpressureTests {
  static let megabyte = 1 << 20

  @Test(arguments: [ThriftTransport.framed, .ttheader])
  func aClientThatNeverReadsKeepsTheServersMemoryBounded(transport: ThriftTransport) async throws {
    try await EchoServerProcess.with { server in
      let client = try ThriftClient(addresses: [server.address], configuration: .forTests)
      defer { client.close() }
      try await EchoLoadProbe.call(client)
      let baseline = try server.residentBytes
      let request = try EchoFrames.request(bytes: 64 << 10, transport: transport)
      let flooder = try await NonReadingClient.connect(port: server.port)
      var peak = baseline
      var sent = 0
      let end = ContinuousClock.now.advanced(by: .seconds(10))
      while ContinuousClock.now < end {
        sent += flooder.sendWhileWritable(request)
        #expect(try await EchoLoadProbe.call(client) == "probe", "other connections are served meanwhile")
        peak = max(peak, try server.residentBytes)
        try await Task.sleep(for: .milliseconds(50))  // pacing the flood, not timing an assertion
      }
      #expect(sent > 10, "the flooder got some requests out before the server stopped reading")
      #expect(peak - baseline < 64 * Self.megabyte, "RSS grew \((peak - baseline) / Self.megabyte) MB (\(sent) requests sent)")
      await flooder.close()
      // Once the peer is gone its buffers are freed.
      let returned = await eventually(within: .seconds(5)) { ((try? server.residentBytes) ?? .max) - baseline < 24 * Self.megabyte }
      #expect(returned, "after the peer left: \(((try? server.residentBytes) ?? 0) / Self.megabyte) MB, baseline \(baseline / Self.megabyte) MB, peak \(peak / Self.megabyte) MB")
      #expect(try await EchoLoadProbe.call(client) == "probe")
      #expect(server.isRunning)
    }
  }
}
}
