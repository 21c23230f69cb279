import ArgumentParser
import Foundation
import Logging
import NIOPosix
import WeaverBench
import WeaverGovernance
import WeaverRPC

/// `weaver bench serve-echo`: our echo server, for `weaver bench thrift` and peer clients.
struct BenchServeEchoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve-echo",
    abstract: "Serve the benchmark echo service (any transport: TTHeader, THeader, Framed, buffered).",
    discussion: "Prints 'listening on HOST:PORT' once bound; SIGINT or SIGTERM shuts down gracefully."
  )

  @OptionGroup var serving: ServingOptions
  @OptionGroup(title: "Telemetry") var telemetry: TelemetryOptions

  @Option(help: "Event loop threads (default: one per core).")
  var threads: Int?

  @Option(help: "Close a connection whose frame stays half-received this long (slowloris).")
  var partialFrameTimeout: DurationArgument = DurationArgument(argument: "10s")!

  @Option(help: "How long a graceful shutdown waits for calls in flight.")
  var drainTimeout: DurationArgument = DurationArgument(argument: "2s")!

  @Option(help: ArgumentHelp("Governance rules (service.yaml) the server applies (limits), watched live.", valueName: "file"))
  var rules: String?

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() async throws {
    let group = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
    serving.prepareProcess()
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench-echo", logLevel: serving.logLevel)
    let logger = serving.logger(label: "weaver.bench.echo")
    var configuration = ThriftServerConfiguration(host: serving.host, port: serving.port, drainTimeout: drainTimeout.duration)
    configuration.middlewares = processTelemetry.serverMiddlewares
    configuration.limits.partialFrameTimeout = partialFrameTimeout.duration
    var following: Task<Void, any Error>?
    if let rules {
      let store = RuleStore(service: "EchoService", sources: [RuleFileWatcher(path: rules)])
      configuration.middlewares.append(ServerGovernor(rules: store).middleware)
      following = Task { try await store.run() }
      processTelemetry.watch(store)
    }
    defer { following?.cancel() }
    let server = ThriftServer(
      serving: [EchoBenchService.thriftService], configuration: configuration, eventLoopGroup: group, logger: logger)
    processTelemetry.watch(server, as: "echo")
    do {
      try await server.runUntilSignalled(logger: logger, alongside: processTelemetry.services) { address in
        // Unbuffered, so a script reading our output sees it at once.
        FileHandle.standardOutput.write(Data("listening on \(address.hostAndPort)\n".utf8))
      }
    } catch let error as ThriftServerError {
      throw error.withAdvice
    }
  }
}
