import Foundation
import WeaverTestSupport
import Testing
import WeaverRPC

/// Apache Thrift's Python client calls our server over every transport and protocol it
/// speaks. Needs `thrift` (Debian thrift-compiler) and `pip install thrift`.
@Suite struct PythonClientInteropTests {
  static let hint = "Install the peer with scripts/install-test-deps (thrift-compiler, python3 -m pip install thrift)"

  func pythonClient(port: Int, transport: String, protocol: String, multiplexed: Bool = false) async throws -> [String: String] {
    var arguments = ["python3", "Tests/PythonPeer/interop.py", "client", "--port", "\(port)", "--transport", transport, "--protocol", `protocol`]
    if multiplexed { arguments.append("--multiplexed") }
    let output = try await ExternalTool.run(arguments, hint: Self.hint)
    let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
    return report.mapValues { "\($0)" }
  }

  @Test(arguments: [
    ("framed", "binary"), ("framed", "compact"), ("buffered", "binary"), ("buffered", "compact"),
    ("header", "binary"), ("header", "compact"),
  ])
  func pythonClientCallsOurServer(transport: String, protocol: String) async throws {
    let handler = InteropHandler()
    let report = try await withServer(interopServices(handler)) { _, port in
      try await pythonClient(port: port, transport: transport, protocol: `protocol`)
    }
    #expect(report["echo"] == "1", "echo round trip: \(report)")
    #expect(report["add"] == "42")
    #expect(report["fail"] == "Oops(7, failed with 7)")
    #expect(report["failUndeclared"] == "TApplicationException:6", "undeclared errors are INTERNAL_ERROR (6)")
    #expect(report["afterOneway"] == "2")
    #expect(handler.notifications.withLock { $0 } == ["fire and forget"])
    if transport == "header" {
      let seen = report["seen"] ?? ""
      #expect(seen.contains(#""persist:release": "canary""#), "persistent metadata arrives: \(seen)")
      #expect(seen.contains(#""transit:hop": "one""#), "transient metadata arrives: \(seen)")
      #expect(seen.contains(#""service": "InteropService""#), "the service is found by its method: \(seen)")
    }
  }

  @Test(arguments: ["binary", "compact"])
  func pythonMultiplexedClientReachesBothServices(protocol: String) async throws {
    let report = try await withServer(interopServices()) { _, port in
      try await pythonClient(port: port, transport: "framed", protocol: `protocol`, multiplexed: true)
    }
    #expect(report["add"] == "42")
    #expect(report["second"] == "second:x")
  }
}
