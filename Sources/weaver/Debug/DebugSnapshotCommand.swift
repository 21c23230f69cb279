import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WeaverAdmin

/// `weaver debug`: looks into running processes.
struct DebugCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug", abstract: "Look into a running process through its admin endpoint.",
    subcommands: [DebugSnapshotCommand.self])
}

/// `weaver debug snapshot HOST:PORT`: a process's runtime snapshot as tables.
struct DebugSnapshotCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snapshot",
    abstract: "Print a process's runtime snapshot (its admin endpoint's /debug/snapshot) as tables.",
    discussion: "The process serves it when started with --admin-port. Exit status: 0 printed, 3 unreachable or not an admin endpoint.")

  @Argument(help: "The admin endpoint, HOST:PORT (or an http:// URL).")
  var endpoint: String

  @Flag(help: "Print the JSON as it came.")
  var json = false

  @Option(help: "How long to wait for the answer.")
  var timeout: DurationArgument = DurationArgument(argument: "5s")!

  func run() async throws {
    let base = endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") ? endpoint : "http://\(endpoint)"
    let url = base.hasSuffix("/") ? base + "debug/snapshot" : base + "/debug/snapshot"
    let body: ByteBuffer
    let response: HTTPClientResponse
    do {
      response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(timeout.duration.nanoseconds))
      body = try await response.body.collect(upTo: 16 << 20)
    } catch {
      throw Self.failure("cannot read \(url): \(error)")
    }
    guard response.status == .ok else { throw Self.failure("\(url) answered \(response.status): is that an admin endpoint?") }
    if json {
      print(String(buffer: body))
      return
    }
    let snapshot: RuntimeSnapshot
    do {
      snapshot = try JSONDecoder().decode(RuntimeSnapshot.self, from: Data(buffer: body))
    } catch {
      throw Self.failure("\(url) did not answer with a runtime snapshot: \(error)")
    }
    print(SnapshotTables.render(snapshot))
  }
}

extension DebugSnapshotCommand {
  /// Says what went wrong on standard error; the process ends with status 3.
  static func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("weaver debug snapshot: \(message)\n".utf8))
    return ExitCode(3)
  }
}

extension Duration {
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
