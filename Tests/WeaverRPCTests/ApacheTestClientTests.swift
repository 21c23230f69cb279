import Foundation
import Testing
import WeaverTestSupport

/// Apache Thrift's own cross-language test client (test/py/TestClient.py from the 0.17
/// source, run on the pip `thrift` library) calls our `weaver-thrifttest-server`: every
/// ThriftTest method, declared and undeclared exceptions, oneway calls, SecondService
/// through TMultiplexedProtocol, and THeader.
@Suite struct ApacheTestClientTests {
  static let apacheTest = ".build-thrift/thrift-0.17.0/test"
  static let hint = """
    The ThriftTest server and Apache's test client come from Apache Thrift's source: run \
    scripts/fetch-thrift-idl, then `swift build --build-tests` (the server target exists once \
    ThriftTest.thrift is fetched). The client needs `python3 -m pip install thrift` and \
    Debian's thrift-compiler (scripts/install-test-deps installs both).
    """

  @Test(arguments: [
    ("binary", "buffered"), ("binary", "framed"), ("compact", "buffered"), ("compact", "framed"),
    ("header", "buffered"), ("multi", "buffered"), ("multic", "framed"), ("multih", "buffered"),
  ])
  func apacheTestClientPasses(protocol: String, transport: String) async throws {
    let server = ExternalTool.productsDirectory.appendingPathComponent("weaver-thrifttest-server").path
    guard FileManager.default.isExecutableFile(atPath: server) else {
      Issue.record("\(server) is not built.\n\(Self.hint)")
      return
    }
    try await ExternalTool.withTemporaryDirectory { generated in
      try await ExternalTool.run(
        ["thrift", "--gen", "py", "-out", generated.path, "\(Self.apacheTest)/ThriftTest.thrift"], hint: Self.hint)
      try await ExternalTool.withListeningProcess([server, "--port", "0"], hint: Self.hint) { port in
        try await ExternalTool.run(
          [
            "python3", "\(Self.apacheTest)/py/TestClient.py", "--host", "127.0.0.1", "--port", "\(port)",
            "--protocol", `protocol`, "--transport", transport, "--genpydir", generated.path,
          ], hint: Self.hint)
      }
    }
  }
}
