import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle
import WeaverBenchAdapters
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverGRPC

/// `weaver demo users`: the demo's gRPC user service in one region, registered in the
/// control plane (weaver demo starts two, in two regions).
struct DemoUsersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users", abstract: "Serve the demo's gRPC user service (weaver demo starts it for you).")

  @OptionGroup var serving: ServingOptions
  @OptionGroup var telemetry: TelemetryOptions

  @Option(help: "The region it serves from and registers in.")
  var region: String = "us-east"

  @Option(help: ArgumentHelp("Register as UserService in this control plane once listening.", valueName: "url"))
  var controlPlane: String?

  @Flag(help: "Shut down once the process that started this one is gone (weaver demo's children).")
  var exitWithParent = false

  func run() async throws {
    serving.prepareProcess()
    let processTelemetry = try telemetry.start(serviceName: DemoUsers.registryName, logLevel: serving.logLevel)
    let logger = serving.logger(label: "weaver.demo.users")
    let middlewares = processTelemetry.serverMiddlewares(system: "grpc")
    let server = GRPCServer(
      transport: HTTP2ServerTransport.Posix(address: .ipv4(host: serving.host, port: serving.port), transportSecurity: .plaintext),
      services: [DemoUsers.Service(region: region)],
      interceptors: middlewares.isEmpty ? [] : [GovernanceServerInterceptor(middlewares)])
    let registrar = controlPlane.map { url in
      PortRegistrar(
        client: ControlPlaneClient(configuration: .init(servers: [url])), service: DemoUsers.registryName, host: serving.host, releaseTag: nil,
        details: InstanceRegistration(host: serving.host, port: 0, region: region, zone: region + "-a", protocol: "grpc"))
    }
    let extras: [any Service] = (registrar.map { [$0] } ?? []) + (exitWithParent ? [DemoParentWatch()] : [])
    let group = ServiceGroup(
      configuration: .init(
        services: (processTelemetry.services + extras + [GRPCServerService(server: server)]).map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      guard let address = try await server.listeningAddress?.ipv4 else {
        throw CommandFailure(description: "the user service did not start on \(serving.host):\(serving.port)")
      }
      DemoOutput.line("listening on \(address.host):\(address.port)")
      registrar?.listening(on: address.port)
      try await tasks.waitForAll()
    }
  }
}
