import Foundation

extension ExternalTool {
  /// Starts a server process (through `/usr/bin/env`, in the package root), waits for the
  /// line that names its port (`PORT <n>` or `listening on <host>:<n>`), runs `body` with
  /// the port, and kills the process when `body` ends, also when it throws.
  @discardableResult
  public static func withListeningProcess<T: Sendable>(
    _ arguments: [String], hint: String, _ body: @Sendable (Int) async throws -> T
  ) async throws -> T {
    let (process, output, errors) = try start(arguments)
    do {
      let port = try await onOwnThread { try readPort(output: output, errors: errors, command: arguments, hint: hint) }
      let result = try await body(port)
      await stop(process)
      return result
    } catch {
      await stop(process)
      throw error
    }
  }

  /// Starts server processes one after another like ``withListeningProcess(_:hint:_:)``,
  /// runs `body` with their ports (in order), and kills them all when `body` ends, also
  /// when it or a later start throws.
  @discardableResult
  public static func withListeningProcesses<T: Sendable>(
    _ commands: [[String]], hint: String, _ body: @Sendable ([Int]) async throws -> T
  ) async throws -> T {
    var started: [Process] = []
    do {
      var ports: [Int] = []
      for command in commands {
        let (process, port) = try await startListening(command, hint: hint)
        started.append(process)
        ports.append(port)
      }
      let result = try await body(ports)
      for process in started { await stop(process) }
      return result
    } catch {
      for process in started { await stop(process) }
      throw error
    }
  }

  /// Starts a server process like ``withListeningProcess(_:hint:_:)`` and returns it with
  /// its port once it listens; the caller stops it. (Standard error is drained on a thread
  /// of its own, so a chatty server cannot stall on a full pipe.)
  public static func startListening(_ arguments: [String], hint: String = "") async throws -> (Process, Int) {
    let (process, output, errors) = try start(arguments)
    do {
      let port = try await onOwnThread { try readPort(output: output, errors: errors, command: arguments, hint: hint) }
      let logPath = ProcessInfo.processInfo.environment["WEAVER_TEST_SERVER_LOG"]
      Thread.detachNewThread {
        let log = logPath.flatMap { FileHandle(forWritingAtPath: $0) }
        log?.seekToEndOfFile()
        while true {
          let data = errors.fileHandleForReading.availableData
          if data.isEmpty { break }
          log?.write(data)
        }
      }
      return (process, port)
    } catch {
      await stop(process)
      throw error
    }
  }

  /// Kills the process and waits for it without holding a Swift concurrency thread.
  /// (SIGKILL: a child spawned from a test runner thread can inherit a mask that blocks
  /// SIGTERM.)
  private static func stop(_ process: Process) async {
    kill(process.processIdentifier, SIGKILL)
    _ = try? await onOwnThread { process.waitUntilExit() }
  }

  private static func readPort(output: Pipe, errors: Pipe, command: [String], hint: String) throws -> Int {
    var line = Data()
    while true {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty {
        let message = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        throw Failure(description: "`\(command.joined(separator: " "))` did not start: \(message)\n\(hint)")
      }
      if byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT ") || text.hasPrefix("listening on "),
      let port = text.split(whereSeparator: { $0 == " " || $0 == ":" }).last.flatMap({ Int($0) })
    else {
      throw Failure(description: "unexpected first line from `\(command.joined(separator: " "))`: \(text)")
    }
    return port
  }

  /// Where SwiftPM put the products of this build (the test bundle's own directory).
  public static var productsDirectory: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  }
}
