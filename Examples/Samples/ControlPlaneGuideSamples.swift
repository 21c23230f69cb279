// docs/control-plane.md's code samples, compiled by the build and compared with the page by
// `DocSnippetTests`: edit them here, then paste them there.
import Logging
import ServiceLifecycle
import WeaverConfig
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverGovernance
import WeaverRPC

func controlPlaneServiceSide(logger: Logger) async throws {
  // snippet: control-plane-register
  let controlPlane = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:8500"], token: "s3cret"))
  let server = ThriftServer(serving: [Calculator.service(MyCalculator())], configuration: ThriftServerConfiguration(port: 9090))
  let registrar = Registrar(
    client: controlPlane, service: "Calculator",
    registration: InstanceRegistration(host: "10.0.0.7", port: 9090, region: "eu-west", releaseTag: "canary"))
  // Registers once the group runs, heartbeats every 5 s, deregisters on SIGTERM.
  try await ServiceGroup(services: [server, registrar], gracefulShutdownSignals: [.sigterm], logger: logger).run()
  // end-snippet
}

func controlPlaneCallerSide(logger: Logger) async throws {
  // snippet: control-plane-resolve
  let controlPlane = ControlPlaneClient(configuration: .init(servers: ["http://10.0.0.2:8500", "http://10.0.0.3:8500"]))
  let rules = RuleStore(service: "Calculator", sources: [RuleFileWatcher(path: "calculator.yaml")])
  let client = ThriftClient(
    resolver: ControlPlaneResolver(client: controlPlane, service: "Calculator"), governance: ClientGovernor(rules: rules))
  let calculator = Calculator.Client(channel: client)
  // end-snippet
  _ = calculator
}

struct FeedSettings: Decodable {
  var timeout: Int
}

func controlPlaneConfig(controlPlane: ControlPlaneClient, logger: Logger) async throws {
  // snippet: control-plane-config
  let settings = ConfigWatcher(client: controlPlane, app: "feed", namespace: "application", cacheDirectory: "/var/cache/feed")
  settings.onChange { old, new in logger.info("config release \(new.number) replaces \(old?.number ?? 0)") }
  let rules = RuleStore(service: "FeedService", sources: [
    RuleFileWatcher(path: "service.yaml"),
    ConfigCenterRuleSource(client: controlPlane, service: "FeedService", cacheDirectory: "/var/cache/feed"),
  ])
  let run = Task { try await ServiceGroup(services: [settings, rules], gracefulShutdownSignals: [.sigterm], logger: logger).run() }
  let timeout = try settings.current?.decode(FeedSettings.self).timeout  // the cached release until the control plane answers
  // end-snippet
  _ = (run, timeout)
}
