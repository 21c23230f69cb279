import Foundation
import WeaverTestSupport

/// `weaver bench serve-echo` in a process of its own, on a free loopback port: a server the
/// tests can measure (resident memory), signal (SIGTERM, SIGKILL) and restart, as users run
/// it. Killed when the test is done with it, also when the test fails.
final class EchoServerProcess: Sendable {
  let port: Int
  let pid: pid_t
  private let process: Process

  private init(process: Process, port: Int) {
    self.process = process
    self.pid = process.processIdentifier
    self.port = port
  }

  /// Starts the server (on `port`, or a free one) with extra `serve-echo` options and waits
  /// until it listens.
  /// `standalone` runs `weaver-echo-server` (the same server without the command line's
  /// code) instead of `weaver bench serve-echo`.
  static func start(port: Int = 0, _ options: [String] = [], standalone: Bool = false) async throws -> EchoServerProcess {
    let program = ExternalTool.productsDirectory.appendingPathComponent(standalone ? "weaver-echo-server" : "weaver").path
    guard FileManager.default.isExecutableFile(atPath: program) else {
      throw ExternalTool.Failure(description: "\(program) is missing: build it first (`swift build --build-tests` builds it too)")
    }
    let command = standalone ? [program] : [program, "bench", "serve-echo"]
    let (process, port) = try await ExternalTool.startListening(command + ["--port", "\(port)"] + options)
    return EchoServerProcess(process: process, port: port)
  }

  /// Runs `body` with a started server and kills it afterwards.
  static func with<T: Sendable>(_ options: [String] = [], _ body: @Sendable (EchoServerProcess) async throws -> T) async throws -> T {
    let server = try await start(port: 0, options)
    do {
      let result = try await body(server)
      await server.kill()
      return result
    } catch {
      await server.kill()
      throw error
    }
  }

  var address: String { "127.0.0.1:\(port)" }

  /// Resident memory in bytes (`VmRSS` in `/proc/PID/status`).
  var residentBytes: Int {
    get throws { try status("VmRSS") }
  }

  /// Resident anonymous memory in bytes (`RssAnon`): the heap and stacks, without the
  /// pages of the binary and libraries.
  var anonymousBytes: Int {
    get throws { try status("RssAnon") }
  }

  private func status(_ field: String) throws -> Int {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
      let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) })
    else { throw ExternalTool.Failure(description: "no \(field) for process \(pid)") }
    return kilobytes * 1024
  }

  var isRunning: Bool { process.isRunning }

  func signal(_ signal: Int32) {
    Foundation.kill(pid, signal)
  }

  /// Waits for the process to exit and returns its status.
  @discardableResult
  func waitForExit() async -> Int32 {
    let process = self.process
    return (try? await ExternalTool.onOwnThread {
      process.waitUntilExit()
      return process.terminationStatus
    }) ?? -1
  }

  /// SIGKILL, and waits for the process to be gone.
  func kill() async {
    if process.isRunning { signal(SIGKILL) }
    await waitForExit()
  }
}
