import Foundation

/// Runs helper programs (the Python peer, the Thrift compiler, swiftc, openssl) for tests,
/// with messages that say how to install what is missing.
///
/// Processes are waited for on threads of their own, never on Swift concurrency's or
/// Dispatch's global pool: on Linux both share a pool of one thread per core, and servers
/// under test need those threads.
public enum ExternalTool {
  /// The package's root directory, found from this file's path.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  public struct Failure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
      self.description = description
    }
  }

  /// Runs `arguments` through `/usr/bin/env` in the package root and returns its standard
  /// output; throws with standard error and `hint` if it fails.
  @discardableResult
  public static func run(_ arguments: [String], hint: String) async throws -> String {
    try await onOwnThread { try runBlocking(arguments, hint: hint) }
  }

  /// Runs blocking `work` on a new thread of its own and waits for it without holding a
  /// Swift concurrency thread.
  public static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(with: Result { try work() })
      }
    }
  }

  /// Starts `arguments` through `/usr/bin/env` in the package root, with its standard
  /// output and error piped back.
  static func start(_ arguments: [String]) throws -> (process: Process, output: Pipe, errors: Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    return (process, output, errors)
  }

  private static func runBlocking(_ arguments: [String], hint: String) throws -> String {
    let (process, output, errors) = try start(arguments)
    // Read both pipes to the end (standard error on its own thread), so a chatty process
    // cannot fill a pipe and stall.
    nonisolated(unsafe) var errorBytes = Data()
    let reader = DispatchGroup()
    reader.enter()
    Thread.detachNewThread {
      errorBytes = errors.fileHandleForReading.readDataToEndOfFile()
      reader.leave()
    }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    reader.wait()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: """
        `\(arguments.joined(separator: " "))` failed with status \(process.terminationStatus):
        \(String(decoding: errorBytes, as: UTF8.self))\(String(decoding: outData, as: UTF8.self))
        \(hint)
        """)
    }
    return String(decoding: outData, as: UTF8.self)
  }

  /// A fresh temporary directory, removed when `body` ends.
  public static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
  }
}
