import WeaverTestSupport

/// Apache Thrift's Python server (Tests/PythonPeer/interop.py) on a free loopback port,
/// killed when `body` ends, also when it throws.
func withPythonServer<T: Sendable>(
  transport: String, protocol: String, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
  try await ExternalTool.withListeningProcess(
    ["python3", "Tests/PythonPeer/interop.py", "server", "--transport", transport, "--protocol", `protocol`],
    hint: PythonClientInteropTests.hint, body)
}
