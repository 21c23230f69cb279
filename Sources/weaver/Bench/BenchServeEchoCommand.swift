import ArgumentParser
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import WeaverBench
import WeaverBenchAdapters
import WeaverCore
import WeaverGovernance
import WeaverRPC

/// The protocol `weaver bench serve-echo` serves.
enum EchoProtocol: String, ExpressibleByArgument, CaseIterable {
  case thrift, grpc, http

  /// `rpc.system` on the spans of its calls.
  var system: String {
    switch self {
    case .thrift: "apache_thrift"
    case .grpc: "grpc"
    case .http: "http"
    }
  }

  /// The service name its rules and metrics use.
  var serviceName: String {
    switch self {
    case .thrift: "EchoService"
    case .grpc: "echo.Echo"
    case .http: HTTPEchoRouter.service
    }
  }
}

/// `weaver bench serve-echo`: our echo server, for `weaver bench thrift|grpc|http` and peer
/// clients.
struct BenchServeEchoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve-echo",
    abstract: "Serve the benchmark echo service over Thrift (any transport), gRPC or HTTP.",
    discussion: """
      thrift: EchoService of Echo.thrift, over TTHeader, THeader, Framed or buffered. \
      grpc: echo.Echo/Echo of echo.proto over HTTP/2 (grpc-swift-2). \
      http: POST /echo with a JSON {"message": …} body (Hummingbird). \
      Prints 'listening on HOST:PORT' once bound; SIGINT or SIGTERM shuts down gracefully. \
      With --forward, each echo is relayed to another echo service (any protocol) and its reply \
      returned, the call's release tag and trace going along; with --control-plane the server \
      registers itself (with --release-tag) and finds --forward's service there.
      """
  )

  @Option(name: .customLong("protocol"), help: "thrift, grpc or http.")
  var echoProtocol: EchoProtocol = .thrift

  @OptionGroup var serving: ServingOptions
  @OptionGroup(title: "Relaying and registering") var relay: EchoRelayOptions
  @OptionGroup(title: "Telemetry") var telemetry: TelemetryOptions

  @Option(help: "Event loop threads (default: one per core).")
  var threads: Int?

  @Option(help: "Close a connection whose frame stays half-received this long (slowloris).")
  var partialFrameTimeout: DurationArgument = DurationArgument(argument: "10s")!

  @Option(help: "How long a graceful shutdown waits for calls in flight.")
  var drainTimeout: DurationArgument = DurationArgument(argument: "2s")!

  @Option(help: ArgumentHelp("Governance rules (service.yaml) the server applies (limits), watched live.", valueName: "file"))
  var rules: String?

  /// The event loops the server runs on, whatever its protocol (`--threads`, else one per core); call once.
  func makeEventLoopGroup() -> MultiThreadedEventLoopGroup {
    threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? .singleton
  }

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  func run() async throws {
    serving.prepareProcess()
    let processTelemetry = try telemetry.start(serviceName: "weaver-bench-echo", logLevel: serving.logLevel)
    let logger = serving.logger(label: "weaver.bench.echo")
    var middlewares = processTelemetry.serverMiddlewares(system: echoProtocol.system)
    let controlPlane = relay.controlPlaneClient
    let next = try relay.forwarder(
      callerName: processTelemetry.serviceName, middlewares: processTelemetry.clientMiddlewares(system: relay.forwardSystem),
      controlPlane: controlPlane)
    let registrar = relay.registrar(service: echoProtocol.serviceName, host: serving.host, client: controlPlane)
    let extras = (next?.services ?? []) + (registrar.map { [$0] } ?? [])
    let echo = EchoRole(forward: next?.forwarder.call, extras: extras, registrar: registrar)
    var following: Task<Void, any Error>?
    if let rules {
      let store = try WatchedRuleFile.store(service: echoProtocol.serviceName, path: rules)
      middlewares.append(ServerGovernor(rules: store).middleware)
      following = Task { try await store.run() }
      processTelemetry.watch(store)
    }
    defer { following?.cancel() }
    switch echoProtocol {
    case .thrift: try await serveThrift(middlewares: middlewares, echo: echo, telemetry: processTelemetry, logger: logger)
    case .grpc: try await serveGRPC(middlewares: middlewares, echo: echo, telemetry: processTelemetry, logger: logger)
    case .http: try await serveHTTP(middlewares: middlewares, echo: echo, telemetry: processTelemetry, logger: logger)
    }
  }

  private func serveThrift(
    middlewares: [any ServerMiddleware], echo: EchoRole, telemetry processTelemetry: ProcessTelemetry, logger: Logger
  ) async throws {
    var configuration = ThriftServerConfiguration(host: serving.host, port: serving.port, drainTimeout: drainTimeout.duration)
    configuration.middlewares = middlewares
    configuration.limits.partialFrameTimeout = partialFrameTimeout.duration
    let server = ThriftServer(
      serving: [EchoService.service(EchoBenchService(forward: echo.forward))], configuration: configuration, eventLoopGroup: makeEventLoopGroup(),
      logger: logger)
    processTelemetry.watch(server, as: "echo")
    do {
      try await server.runUntilSignalled(logger: logger, alongside: processTelemetry.services + echo.extras) { address in
        echo.listening(host: address.ipAddress ?? serving.host, port: address.port ?? serving.port)
      }
    } catch let error as ThriftServerError {
      throw error.withAdvice
    }
  }
}

extension BenchServeEchoCommand {
  private func serveGRPC(
    middlewares: [any ServerMiddleware], echo: EchoRole, telemetry processTelemetry: ProcessTelemetry, logger: Logger
  ) async throws {
    let server = EchoServers.grpc(
      host: serving.host, port: serving.port, middlewares: middlewares, forward: echo.forward, eventLoopGroup: makeEventLoopGroup())
    let services = ServiceGroup(
      configuration: .init(
        services: (processTelemetry.services + echo.extras + [GRPCServerService(server: server)]).map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await services.run() }
      guard let address = try await server.listeningAddress?.ipv4 else {
        throw CommandFailure(description: "the gRPC echo server did not start on \(serving.host):\(serving.port)")
      }
      echo.listening(host: address.host, port: address.port)
      try await tasks.waitForAll()
    }
  }

  private func serveHTTP(
    middlewares: [any ServerMiddleware], echo: EchoRole, telemetry processTelemetry: ProcessTelemetry, logger: Logger
  ) async throws {
    let host = serving.host
    let app = EchoServers.http(
      host: host, port: serving.port, middlewares: middlewares, forward: echo.forward, eventLoopGroup: makeEventLoopGroup()
    ) { port in
      echo.listening(host: host, port: port)
    }
    let services = ServiceGroup(
      configuration: .init(
        services: (processTelemetry.services + echo.extras + [app]).map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
    try await services.run()
  }
}

/// What an echo server does besides echoing: relay to the next hop, run that hop's
/// client and rules, register once it listens.
struct EchoRole: Sendable {
  var forward: (@Sendable (String) async throws -> String)?
  var extras: [any Service]
  var registrar: PortRegistrar?

  /// The server is bound: say where (unbuffered, so a script reading our output sees it at
  /// once) and register it.
  func listening(host: String, port: Int) {
    FileHandle.standardOutput.write(Data("listening on \(host):\(port)\n".utf8))
    registrar?.listening(on: port)
  }
}
