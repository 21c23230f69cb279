import Foundation
import Testing
import WeaverTestSupport

/// What a new user types at `weaver`'s serving and benchmark commands gets a clear answer.
@Suite struct CommandLineTests {
  /// Runs `weaver` with `arguments`; returns its exit status and everything it printed.
  func weaver(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = ExternalTool.productsDirectory.appendingPathComponent("weaver")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    return try await ExternalTool.onOwnThread {
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
  }

  @Test func aPortOutOfRangeIsRefusedWithTheCommandsUsage() async throws {
    let (status, output) = try await weaver(["bench", "serve-echo", "--port", "99999"])
    #expect(status != 0)
    #expect(output.contains("--port must be 1 to 65535 (or 0 for a free one), not 99999"))
    #expect(output.contains("Usage: weaver bench serve-echo"))
  }

  @Test func aPortInUseSaysWhichAndWhatToDo() async throws {
    try await EchoServerProcess.with { server in
      let (status, output) = try await weaver(["bench", "serve-echo", "--port", "\(server.port)"])
      #expect(status != 0)
      #expect(output.contains("cannot listen on 127.0.0.1:\(server.port): the address is already in use"), "\(output)")
      #expect(output.contains("pick another --port"))
    }
  }

  @Test func benchHelpShowsDefaultsAsTheyAreWritten() async throws {
    let (_, output) = try await weaver(["bench", "thrift", "--help"])
    #expect(output.contains("default: binary"))
    #expect(output.contains("default: 10s"))
    #expect(!output.contains("DurationArgument"))
  }

  @Test func badBenchArgumentsPrintTheSubcommandsUsage() async throws {
    let (status, output) = try await weaver(["bench", "thrift", "--target", "127.0.0.1:1", "--connections", "0"])
    #expect(status != 0)
    #expect(output.contains("--connections must be at least 1"))
    #expect(output.contains("Usage: weaver bench thrift"))
  }
}
