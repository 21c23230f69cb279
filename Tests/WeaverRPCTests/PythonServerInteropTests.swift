import Foundation
import Testing
import WeaverRPC
import WeaverThrift

/// Our client calls Apache Thrift's Python server over Framed and THeader.
@Suite struct PythonServerInteropTests {
  @Test(arguments: [
    ("framed", "binary", ThriftTransport.framed), ("framed", "compact", .framed),
    ("header", "binary", .theader), ("header", "compact", .theader),
  ])
  func ourClientCallsAPythonServer(pythonTransport: String, protocol: String, transport: ThriftTransport) async throws {
    let protocolID: ThriftProtocolID = `protocol` == "compact" ? .compact : .binary
    try await withPythonServer(transport: pythonTransport, protocol: `protocol`) { port in
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: ThriftClientConfiguration(transport: transport, protocol: protocolID, connectTimeout: .testConnectTimeout))
      defer { client.close() }
      let interop = InteropService.Client(channel: client)
      let payload = Payload(text: "from Swift", numbers: [7, -7], extra: ["x": "y"], blob: Data([1, 2, 3]))
      #expect(try await interop.echo(payload: payload) == payload)
      #expect(try await interop.add(a: 20, b: 22) == 42)
      await #expect(throws: Oops(code: 3, message: "failed with 3")) { try await interop.fail(code: 3) }
      let undeclared = await #expect(throws: TApplicationException.self) { try await interop.fail(code: -1) }
      #expect(undeclared?.kind == .internalError)
      try await interop.notify(message: "oneway")
      #expect(try await interop.slow(millis: 10) == "slept 10")
      // Concurrent calls on a transport without multiplexing use a connection each.
      let sums = try await withThrowingTaskGroup(of: Int64.self) { group in
        for index in 0..<8 { group.addTask { try await interop.add(a: Int64(index), b: 100) } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(sums.sorted() == (100..<108).map(Int64.init))
    }
  }
}
