import ArgumentParser
import Foundation
import Logging
import NIOPosix
import WeaverBench
import WeaverRPC

/// `weaver bench serve-echo`: our echo server, for `weaver bench thrift` and peer clients.
struct BenchServeEchoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve-echo",
    abstract: "Serve the benchmark echo service (any transport: TTHeader, THeader, Framed, buffered).",
    discussion: "Prints 'listening on HOST:PORT' once bound; SIGINT or SIGTERM shuts down gracefully."
  )

  @Option(help: "The port; 0 picks a free one.")
  var port: Int = 9090

  @Option(help: "The address to bind.")
  var host: String = "127.0.0.1"

  @Option(help: "Event loop threads (default: one per core).")
  var threads: Int?

  func run() async throws {
    let group = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: max(1, $0)) } ?? MultiThreadedEventLoopGroup.singleton
    var logger = Logger(label: "weaver.bench.echo")
    logger.logLevel = .warning
    let server = ThriftServer(
      serving: [EchoBenchService.thriftService],
      configuration: ThriftServerConfiguration(host: host, port: port, drainTimeout: .seconds(2)),
      eventLoopGroup: group, logger: logger)
    try await server.runUntilSignalled(logger: logger) { address in
      // Unbuffered, so a script reading our output sees it at once.
      FileHandle.standardOutput.write(Data("listening on \(host):\(address.port ?? port)\n".utf8))
    }
  }
}
