import ArgumentParser
import Foundation
import GRPCCore
import Hummingbird
import Logging
import ServiceLifecycle
import WeaverBenchAdapters
import WeaverConfig
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore
import WeaverExampleModels
import WeaverGRPC
import WeaverGovernance
import WeaverHTTP
import WeaverRPC

/// `weaver demo gateway`: the demo's HTTP edge (Hummingbird). `GET /feed?viewer=N` asks the
/// gRPC user service for the viewer and the Thrift feed service for their feed, both found
/// in the control plane and governed by the rules published there; `X-Release-Tag` and
/// `x-region` colour the calls behind it.
struct DemoGatewayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gateway", abstract: "Serve the demo's HTTP gateway (weaver demo starts it for you).")

  @OptionGroup var serving: ServingOptions
  @OptionGroup var telemetry: TelemetryOptions

  @Option(help: ArgumentHelp("The control plane to find the services in, take rules from, and register in.", valueName: "url"))
  var controlPlane: String

  @Flag(help: "Shut down once the process that started this one is gone (weaver demo's children).")
  var exitWithParent = false

  static let serviceName = "gateway"

  /// What `GET /feed` answers.
  struct FeedAnswer: ResponseEncodable {
    var viewer: DemoUsers.Profile
    var posts: [String]
  }

  func run() async throws {
    serving.prepareProcess()
    let processTelemetry = try telemetry.start(serviceName: Self.serviceName, logLevel: serving.logLevel)
    let logger = serving.logger(label: "weaver.demo.gateway")
    let controlPlaneClient = ControlPlaneClient(configuration: .init(servers: [controlPlane]))
    let quiet = Logger(label: "weaver.demo.gateway") { _ in SwiftLogNoOpLogHandler() }
    func rules(_ service: String) -> RuleStore {
      RuleStore(service: service, sources: [ConfigCenterRuleSource(client: controlPlaneClient, service: service)])
    }
    let (feedRules, userRules) = (rules("FeedService"), rules(DemoUsers.registryName))
    let feedClient = ThriftClient(
      resolver: ControlPlaneResolver(client: controlPlaneClient, service: "FeedService", logger: quiet),
      configuration: ThriftClientConfiguration(
        rpcTimeout: .seconds(2), callerName: Self.serviceName, middlewares: processTelemetry.clientMiddlewares),
      governance: ClientGovernor(rules: feedRules))
    processTelemetry.watch(feedClient, as: "FeedService")
    processTelemetry.watch(feedRules)
    processTelemetry.watch(userRules)
    let usersTransport = GovernedGRPCTransport(
      resolver: ControlPlaneResolver(client: controlPlaneClient, service: DemoUsers.registryName, logger: quiet),
      governance: ClientGovernor(rules: userRules),
      configuration: .init(callerName: Self.serviceName, middlewares: processTelemetry.clientMiddlewares(system: "grpc")))
    let users = GRPCClient(transport: usersTransport)
    let feed = FeedService.Client(channel: feedClient)

    let requestLog = Logger(label: "weaver.demo.gateway.requests")
    let router = Router()
    router.add(middleware: GovernanceHTTPMiddleware(service: Self.serviceName, processTelemetry.serverMiddlewares(system: "http")))
    router.get("/health") { _, _ in "ok" }
    router.get("/feed") { request, _ -> FeedAnswer in
      guard let viewer = request.uri.queryParameters["viewer"].flatMap({ Int(String($0)) }) else {
        throw HTTPError(.badRequest, message: "viewer=N is required")
      }
      var options = CallOptions.defaults
      options.timeout = .seconds(2)
      let profile: DemoUsers.Profile
      do {
        profile = try await DemoUsers.user(viewer, client: users, options: options)
      } catch let error as GRPCCore.RPCError {
        throw GRPCErrorMapping.weaverError(error) ?? error
      }
      let page = try await feed.getFeed(viewer: Int64(viewer), limit: 5, cursor: nil)
      // One line per request, exported with its trace id: the console shows it beside the trace.
      requestLog.info("feed for viewer \(viewer): \(profile.name), served from \(profile.servedFrom); \(page.posts.count) posts")
      return FeedAnswer(viewer: profile, posts: page.posts.map { "#\($0.id) \($0.author?.name ?? "?"): \($0.text)" })
    }
    let registrar = PortRegistrar(
      client: controlPlaneClient, service: Self.serviceName, host: serving.host, releaseTag: nil,
      details: InstanceRegistration(host: serving.host, port: 0, protocol: "http"))
    let app = Application(
      router: router, configuration: .init(address: .hostname(serving.host, port: serving.port), serverName: nil),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? serving.port
        DemoOutput.line("listening on \(serving.host):\(port)")
        registrar.listening(on: port)
      }, logger: logger)
    let services: [any Service] =
      processTelemetry.services + [
        RuleStoreService(store: feedRules), RuleStoreService(store: userRules), ThriftClientService(client: feedClient),
        GRPCClientService(client: users), registrar, app,
      ] + (exitWithParent ? [DemoParentWatch()] : [])
    let group = ServiceGroup(
      configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
    feedClient.close()
  }
}

/// A ``ThriftClient`` as a `ServiceLifecycle` service: resolves and connects until
/// graceful shutdown.
struct ThriftClientService: Service {
  let client: ThriftClient

  func run() async throws {
    try await cancelWhenGracefulShutdown { try await client.run() }
  }
}
