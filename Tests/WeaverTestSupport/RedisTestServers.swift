import Foundation

/// Real Redis servers for a test (Tests/RedisPeer/redis_servers.py, Debian's
/// redis-server): a 6-node cluster or one standalone server on free loopback ports, stopped
/// when the test ends, also when it throws.
public final class RedisTestServers: Sendable {
  /// The first port; a cluster's nodes are on it and the 5 after it.
  public let basePort: Int
  /// Every server's port.
  public let ports: [Int]
  private let process: Process
  private let input: FileHandle
  private let output: FileHandle

  public static let hint =
    "redis-server and redis-cli come with Debian's redis-server: scripts/install-test-deps (apt-get install redis-server)"

  private init(basePort: Int, ports: [Int], process: Process, input: FileHandle, output: FileHandle) {
    self.basePort = basePort
    self.ports = ports
    self.process = process
    self.input = input
    self.output = output
  }

  /// Starts a 6-node cluster (3 primaries with a replica each), runs `body`, stops it.
  public static func withCluster<T: Sendable>(_ body: @Sendable (RedisTestServers) async throws -> T) async throws -> T {
    try await with(["cluster"], count: 6, body)
  }

  /// Starts one standalone server (with `password`, if given), runs `body`, stops it.
  public static func withStandalone<T: Sendable>(
    password: String? = nil, _ body: @Sendable (RedisTestServers) async throws -> T
  ) async throws -> T {
    try await with(["standalone"] + (password.map { ["--password", $0] } ?? []), count: 1, body)
  }

  private static func with<T: Sendable>(
    _ arguments: [String], count: Int, _ body: @Sendable (RedisTestServers) async throws -> T
  ) async throws -> T {
    let servers = try await ExternalTool.onOwnThread { try start(arguments, count: count) }
    do {
      let result = try await body(servers)
      await servers.stop()
      return result
    } catch {
      await servers.stop()
      throw error
    }
  }

  private static func start(_ arguments: [String], count: Int) throws -> RedisTestServers {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "Tests/RedisPeer/redis_servers.py"] + arguments
    process.currentDirectoryURL = ExternalTool.packageRoot
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let first = readLine(output.fileHandleForReading)
    guard let first, first.hasPrefix("PORT "), let base = Int(first.dropFirst(5)) else {
      process.waitUntilExit()
      let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      throw ExternalTool.Failure(description: "the Redis test servers did not start: \(message)\n\(hint)")
    }
    Thread.detachNewThread { _ = errors.fileHandleForReading.readDataToEndOfFile() }
    return RedisTestServers(
      basePort: base, ports: Array(base..<(base + count)), process: process, input: input.fileHandleForWriting,
      output: output.fileHandleForReading)
  }

  /// Sends one command to the helper (`kill PORT`, `start PORT`, `wait-ok`, `primaries`)
  /// and returns what follows its `OK`; throws on `ERR`.
  @discardableResult
  public func command(_ line: String) async throws -> String {
    try await ExternalTool.onOwnThread { [self] in
      input.write(Data((line + "\n").utf8))
      guard let reply = Self.readLine(output) else {
        throw ExternalTool.Failure(description: "the Redis test servers exited")
      }
      guard reply.hasPrefix("OK") else { throw ExternalTool.Failure(description: "`\(line)`: \(reply)") }
      return String(reply.dropFirst(2)).trimmingCharacters(in: .whitespaces)
    }
  }

  /// The ports that are cluster primaries now.
  public func primaries() async throws -> [Int] {
    try await command("primaries").split(separator: " ").compactMap { Int($0) }
  }

  /// Stops every server and waits for the helper to exit.
  public func stop() async {
    try? input.close()
    let process = self.process
    _ = try? await ExternalTool.onOwnThread {
      // The helper stops its servers at end of input; kill it if it does not go.
      let deadline = Date().addingTimeInterval(15)
      while process.isRunning && Date() < deadline { usleep(20_000) }
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }
  }

  private static func readLine(_ handle: FileHandle) -> String? {
    var line = Data()
    while true {
      let byte = handle.readData(ofLength: 1)
      if byte.isEmpty { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
      if byte == Data("\n".utf8) { return String(decoding: line, as: UTF8.self) }
      line.append(byte)
    }
  }
}
