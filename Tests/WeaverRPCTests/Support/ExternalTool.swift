import Foundation

/// Runs helper programs (the Python peer, the Thrift compiler) for tests, with messages that
/// say how to install what is missing.
enum ExternalTool {
  /// The package's root directory, found from this file's path.
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs `arguments` through `/usr/bin/env` and returns its standard output; throws with
  /// standard error and `hint` if it fails.
  @discardableResult
  static func run(_ arguments: [String], hint: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: """
        `\(arguments.joined(separator: " "))` failed with status \(process.terminationStatus):
        \(String(decoding: errData, as: UTF8.self))
        \(hint)
        """)
    }
    return String(decoding: outData, as: UTF8.self)
  }

  /// Like ``run(_:hint:)``, without blocking the calling task's thread: the process is
  /// waited for on a Dispatch queue, so servers in the same process keep running.
  static func runAsync(_ arguments: [String], hint: String) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try run(arguments, hint: hint) })
      }
    }
  }

  /// A fresh temporary directory, removed by `body`'s end.
  static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
  }
}
