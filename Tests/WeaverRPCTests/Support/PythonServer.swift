import Foundation
import WeaverTestSupport

/// Apache Thrift's Python server (Tests/PythonPeer/interop.py) on a free loopback port,
/// killed when `body` ends, also when it throws.
func withPythonServer<T: Sendable>(
  transport: String, protocol: String, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "Tests/PythonPeer/interop.py", "server", "--transport", transport, "--protocol", `protocol`]
  process.currentDirectoryURL = ExternalTool.packageRoot
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  do {
    let result = try await serve(process, output: output, errors: errors, body)
    await stop(process)
    return result
  } catch {
    await stop(process)
    throw error
  }
}

/// Kills the server and waits for it without blocking a Swift concurrency thread. (SIGKILL:
/// a child spawned from a test runner thread can inherit a mask that blocks SIGTERM.)
private func stop(_ process: Process) async {
  kill(process.processIdentifier, SIGKILL)
  _ = try? await ExternalTool.onOwnThread { process.waitUntilExit() }
}

private func serve<T: Sendable>(
  _ process: Process, output: Pipe, errors: Pipe, _ body: @Sendable (Int) async throws -> T
) async throws -> T {
  let port: Int = try await ExternalTool.onOwnThread {
    var line = Data()
    while true {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty {
        let message = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        throw ExternalTool.Failure(description: "the Python server did not start: \(message)\n\(PythonClientInteropTests.hint)")
      }
      if byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      throw ExternalTool.Failure(description: "unexpected line from the Python server: \(text)")
    }
    return port
  }
  return try await body(port)
}
