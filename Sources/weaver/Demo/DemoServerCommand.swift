import ArgumentParser
import Foundation
import Logging
import WeaverExampleModels
import WeaverRPC
import WeaverRedis
import ServiceLifecycle
import WeaverControlPlaneClient
import WeaverControlPlaneModels

/// `weaver demo server`: the example feed service on a loopback port, until SIGTERM; with
/// `--upstream`, a gateway that reads feeds from another one.
struct DemoServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server", abstract: "Serve the example FeedService (weaver demo starts it for you).")

  @OptionGroup var serving: ServingOptions
  @OptionGroup var telemetry: TelemetryOptions

  @Option(help: "Another feed service (host:port) to read feeds from: this one becomes its gateway.")
  var upstream: String?

  @Option(help: ArgumentHelp("A standalone redis-server to cache feed pages in.", valueName: "host:port"))
  var redis: String?

  @Option(help: ArgumentHelp("A node of a Redis Cluster to cache feed pages in.", valueName: "host:port"))
  var redisCluster: String?

  @Option(help: "The name this process gives itself in traces and calls (OTEL_SERVICE_NAME wins).")
  var serviceName: String = "feed-service"

  @Option(help: ArgumentHelp("Register as FeedService in this control plane once listening.", valueName: "url"))
  var controlPlane: String?

  @Option(help: "The release tag it registers with (canary, …); needs --control-plane.")
  var releaseTag: String?

  @Option(help: "The region it registers in; needs --control-plane.")
  var region: String?

  @Flag(help: "Print nothing per call (for steady traffic).")
  var quiet = false

  @Flag(help: "Shut down once the process that started this one is gone (weaver demo's children).")
  var exitWithParent = false

  func validate() throws {
    if releaseTag != nil || region != nil, controlPlane == nil { throw ValidationError("--release-tag and --region need --control-plane") }
  }

  func run() async throws {
    serving.prepareProcess()
    let processTelemetry = try telemetry.start(serviceName: serviceName, logLevel: serving.logLevel)
    let logger = serving.logger(label: "weaver.demo.server")
    let upstreamClient = try upstream.map { address in
      try ThriftClient(
        addresses: [address],
        configuration: ThriftClientConfiguration(
          rpcTimeout: .seconds(2), callerName: processTelemetry.serviceName, middlewares: processTelemetry.clientMiddlewares))
    }
    defer { upstreamClient?.close() }
    let cache = try DemoRedis.cache(standalone: redis, cluster: redisCluster)
    defer { cache?.shutdown() }
    let printer = DemoCallPrinter(quiet: quiet)
    let registrar = controlPlane.map { url in
      PortRegistrar(
        client: ControlPlaneClient(configuration: .init(servers: [url])), service: "FeedService", host: serving.host, releaseTag: releaseTag,
        details: InstanceRegistration(host: serving.host, port: 0, region: region, protocol: "thrift"))
    }
    let extras: [any Service] = (registrar.map { [$0] } ?? []) + (exitWithParent ? [DemoParentWatch()] : [])
    let server = ThriftServer(
      serving: [FeedService.service(DemoFeedService(upstream: upstreamClient.map { FeedService.Client(channel: $0) }, cache: cache?.cache))],
      configuration: ThriftServerConfiguration(
        host: serving.host, port: serving.port, drainTimeout: .seconds(2),
        middlewares: processTelemetry.serverMiddlewares + [printer]),
      logger: logger)
    processTelemetry.watch(server, as: processTelemetry.serviceName)
    if let upstreamClient { processTelemetry.watch(upstreamClient, as: "upstream") }
    do {
      try await server.runUntilSignalled(logger: logger, alongside: processTelemetry.services + extras) { address in
        DemoOutput.line("listening on \(address.hostAndPort)")
        registrar?.listening(on: address.port ?? serving.port)
      }
    } catch let error as ThriftServerError {
      throw error.withAdvice
    }
    DemoOutput.line("served \(printer.calls.load(ordering: .relaxed)) calls; shut down gracefully on SIGTERM")
  }
}
