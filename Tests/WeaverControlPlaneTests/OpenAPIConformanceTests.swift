import Foundation
import Testing
import WeaverTestSupport

/// `weaver server`, the real process, checked against `docs/openapi.yaml` by schemathesis
/// (PyPI): every documented operation fuzzed within the spec and outside it, every answer
/// held to its documented status, content type, schema and headers, no 5xx.
@Suite(.timeLimit(.minutes(2))) struct OpenAPIConformanceTests {
  @Test func theRunningServerMatchesItsSpec() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      let weaver = ExternalTool.productsDirectory.appendingPathComponent("weaver").path
      try await ExternalTool.withListeningProcess(
        [weaver, "server", "--data-dir", directory.path, "--listen", "127.0.0.1:0"], hint: "build it first: swift build --product weaver"
      ) { port in
        let output = try await ExternalTool.run(
          ["python3", "Tests/PythonPeer/openapi_check.py", "docs/openapi.yaml", "http://127.0.0.1:\(port)", "--probes"],
          hint: "needs schemathesis for python3: python3 -m pip install schemathesis (scripts/install-test-deps)")
        #expect(output.contains("openapi_check: PASS"), "\(output)")
      }
    }
  }
}
