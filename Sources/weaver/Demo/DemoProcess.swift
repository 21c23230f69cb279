import Foundation
import Synchronization

/// A child process of `weaver demo`: its output lines are shown as they come, indented and
/// labelled, and kept so the demo can wait for a particular one.
final class DemoProcess: Sendable {
  let label: String
  private let process: Process
  private let lines = Mutex<[String]>([])
  private let partialLine = Mutex(Data())
  private let exited = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

  /// Starts this same executable with `arguments`.
  init(label: String, arguments: [String]) throws {
    self.label = label
    process = Process()
    process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = arguments
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
        FileHandle.standardOutput.write(Data("   \(label) │ \(line)\n".utf8))
        lines.withLock { $0.append(line) }
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

  /// Asks the process to shut down (SIGTERM); kills it if it has not exited in `grace`.
  func stop(grace: Duration = .seconds(5)) async -> Int32 {
    guard process.isRunning else { return await exitStatus() }
    process.terminate()
    let killer = Task { [process] in
      try await Task.sleep(for: grace)
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
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
