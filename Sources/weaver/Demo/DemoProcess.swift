import Foundation
import Synchronization

/// A child process of `weaver demo`: its output lines are shown as they come, indented and
/// labelled (unless `echo` is off), and the newest kept so the demo can wait for one.
final class DemoProcess: Sendable {
  let label: String
  /// The most output lines kept.
  static let keptLines = 2000
  private let process: Process
  private let lines = Mutex<[String]>([])
  private let partialLine = Mutex(Data())
  private let exited = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

  /// Starts `executable` (default: this same one) with `arguments` (and `environment` added
  /// to ours).
  init(label: String, executable: URL? = nil, arguments: [String], environment: [String: String] = [:], echo: Bool = true) throws {
    self.label = label
    process = Process()
    process.executableURL = executable ?? Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    output.fileHandleForReading.readabilityHandler = { [self] handle in
      let chunk = handle.availableData
      let complete: [String] = partialLine.withLock { buffer in
        buffer.append(chunk)
        var found: [String] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
          found.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
          buffer.removeSubrange(buffer.startIndex...newline)
        }
        return found
      }
      if chunk.isEmpty { handle.readabilityHandler = nil }
      for line in complete {
        if echo { FileHandle.standardOutput.write(Data("   \(label) │ \(line)\n".utf8)) }
        lines.withLock { lines in
          lines.append(line)
          if lines.count > Self.keptLines { lines.removeFirst(lines.count - Self.keptLines / 2) }
        }
      }
    }
    process.terminationHandler = { [self] process in
      let waiters = exited.withLock { state in
        state.status = process.terminationStatus
        defer { state.waiters = [] }
        return state.waiters
      }
      for waiter in waiters { waiter.resume(returning: process.terminationStatus) }
    }
    try process.run()
  }

  /// The process's id.
  var pid: Int32 { process.processIdentifier }

  /// The first output line starting with `prefix`, waiting up to `timeout` for it.
  func line(startingWith prefix: String, timeout: Duration = .seconds(10)) async throws -> String {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
      if let line = lines.withLock({ $0.first { $0.hasPrefix(prefix) } }) { return line }
      if !process.isRunning { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw DemoError("the \(label) process printed no '\(prefix)' line")
  }

  /// Waits for the process to exit; returns its status.
  func exitStatus() async -> Int32 {
    await withCheckedContinuation { continuation in
      let status = exited.withLock { state -> Int32? in
        if state.status == nil { state.waiters.append(continuation) }
        return state.status
      }
      if let status { continuation.resume(returning: status) }
    }
  }

  /// Kills the process at once (SIGKILL): a crash, as far as anyone else can tell.
  func kill() async -> Int32 {
    if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    return await exitStatus()
  }

  var isRunning: Bool { process.isRunning }

  /// Asks the process to shut down (SIGTERM); kills it if it has not exited in `grace`.
  func stop(grace: Duration = .seconds(5)) async -> Int32 {
    guard process.isRunning else { return await exitStatus() }
    process.terminate()
    let killer = Task { [process] in
      try await Task.sleep(for: grace)
      if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
    let status = await exitStatus()
    killer.cancel()
    return status
  }
}

/// Something in the demo did not go as it should.
struct DemoError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}
