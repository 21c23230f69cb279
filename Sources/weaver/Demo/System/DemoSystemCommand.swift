import ArgumentParser
import Foundation
import Logging
import Synchronization
import ServiceLifecycle
import WeaverControlPlane
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverStore

/// `weaver demo` (`weaver demo system`): the whole platform on this machine, nothing else
/// to start. The control plane on its embedded store (registry, config center, console,
/// OTLP receiver), an HTTP gateway, a Thrift feed service (two instances, one a canary), a
/// gRPC user service in two regions, and a Redis cache when redis-server is installed;
/// steady traffic; then a scripted scenario. Ctrl-C stops everything.
struct DemoSystemCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "system",
    abstract: "Run the whole system: control plane and console, gateway, feed and user services, traffic, and a scripted scenario.",
    discussion: """
      Prints the console's URL as soon as it answers. The scenario then shows coloured traffic reaching the canary, a killed \
      instance's breaker opening, a rule published in the config center changing behaviour live and a rollback restoring it, \
      and an injected fault in a trace. The system keeps running until Ctrl-C, which stops every process it started.
      """)

  @Flag(help: "Run the system for exploring, without the scripted scenario.")
  var noScenario = false

  @Flag(help: "Stop everything once the scenario has run (for scripts and CI).")
  var exitAfterScenario = false

  @Option(help: "The control plane's port (the console's); taken when free, else any free port.")
  var port: Int = 8500

  func validate() throws {
    if noScenario && exitAfterScenario { throw ValidationError("--exit-after-scenario needs the scenario: drop --no-scenario") }
  }

  func run() async throws {
    let quiet = Logger(label: "weaver.demo") { _ in SwiftLogNoOpLogHandler() }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-demo-system-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    DemoOutput.line("CloudWeaver demo: the whole system\n")
    let store = try await SQLiteStore.open(path: directory.appendingPathComponent("weaver.sqlite").path, logger: quiet)
    let chosenPort = port == 0 || DemoPorts.isFree(port) ? port : 0
    if chosenPort != port { DemoOutput.line("Port \(port) is taken; the control plane takes a free one.") }
    let (addresses, bound) = AsyncStream<Int>.makeStream()
    let server = ControlPlaneServer(store: store, configuration: .init(host: "127.0.0.1", port: chosenPort), logger: quiet) { address in
      bound.yield(address.port ?? chosenPort)
      bound.finish()
    }
    let system = DemoSystem(server: server, ports: addresses, scenario: !noScenario, exitAfterScenario: exitAfterScenario)
    var configuration = ServiceGroupConfiguration(
      services: [
        .init(service: store), .init(service: server),
        .init(service: system, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
      ],
      gracefulShutdownSignals: [.sigint, .sigterm], logger: quiet)
    configuration.maximumGracefulShutdownDuration = .seconds(20)
    try await ServiceGroup(configuration: configuration).run()
    if let failure = system.failure.withLock({ $0 }) { throw failure }
  }
}

/// The demo system's own lifecycle, beside the control plane's: start the fleet and the
/// traffic, run the scenario, wait for Ctrl-C, stop everything it started.
final class DemoSystem: Service, Sendable {
  let server: ControlPlaneServer
  let ports: AsyncStream<Int>
  let scenario: Bool
  let exitAfterScenario: Bool
  let failure = Mutex<DemoError?>(nil)

  init(server: ControlPlaneServer, ports: AsyncStream<Int>, scenario: Bool, exitAfterScenario: Bool) {
    self.server = server
    self.ports = ports
    self.scenario = scenario
    self.exitAfterScenario = exitAfterScenario
  }

  func run() async throws {
    guard let port = await ports.first(where: { _ in true }) else { return }
    let url = "http://127.0.0.1:\(port)"
    DemoOutput.line("Control plane on \(url): registry, config center, OTLP receiver.")
    DemoOutput.line("console: \(url)/console\n")
    let controlPlane = ControlPlaneClient(configuration: .init(servers: [url]))
    _ = try await controlPlane.publish(
      app: "FeedService", namespace: "governance", ConfigDraft(format: .yaml, content: DemoScenario.feedRules), author: DemoScenario.author,
      comment: "colour routing; a dead instance trips after 3 failures")
    _ = try await controlPlane.publish(
      app: DemoUsers.registryName, namespace: "governance", ConfigDraft(format: .yaml, content: DemoScenario.userRules),
      author: DemoScenario.author, comment: "stay in the caller's region")
    let fleet = DemoFleet(controlPlane: url)
    let traffic = Mutex<Task<Void, Never>?>(nil)
    do {
      try await cancelWhenGracefulShutdown {
        DemoOutput.line("Starting the services (each a process, registering itself and exporting its traces here):")
        try await fleet.start()
        let instances = try await self.waitForFleet(controlPlane)
        DemoOutput.line("   registered: \(instances)")
        DemoOutput.line("   gateway: \(fleet.gatewayURL)/feed?viewer=1")
        let driver = DemoTraffic(gateway: fleet.gatewayURL)
        traffic.withLock { $0 = Task { await driver.run() } }
        DemoOutput.line("Steady traffic: about 20 calls a second through the gateway, every fifth coloured canary.")
        if self.scenario {
          try await DemoScenario(
            fleet: fleet, traffic: driver, controlPlane: controlPlane, telemetry: self.server.telemetry, consoleURL: url + "/console"
          ).run()
          let (answered, failed) = (driver.answered.load(ordering: .relaxed), driver.failed.load(ordering: .relaxed))
          DemoOutput.line("\nScenario done. Background traffic so far: \(answered) answered, \(failed) failed (the failures are the scenario's own doing).")
        }
        guard !self.exitAfterScenario else { return }
        DemoOutput.line("The system keeps running: explore \(url)/console. Ctrl-C stops everything.")
        try await gracefulShutdown()
      }
    } catch let error as DemoError {
      failure.withLock { $0 = error }
      DemoOutput.line("error: \(error)")
    } catch is CancellationError {
    }
    let running = traffic.withLock { $0 }
    running?.cancel()
    await running?.value
    await fleet.stopAll()
    DemoOutput.line("Stopped every process the demo started; the control plane stops now.")
  }

  /// Waits until every service is registered and healthy; describes them.
  private func waitForFleet(_ controlPlane: ControlPlaneClient) async throws -> String {
    let expected = ["FeedService": 2, DemoUsers.registryName: 2, DemoGatewayCommand.serviceName: 1]
    let deadline = ContinuousClock.now.advanced(by: .seconds(20))
    while ContinuousClock.now < deadline {
      var found: [String] = []
      var complete = true
      for (service, count) in expected.sorted(by: { $0.key < $1.key }) {
        let instances = (try? await controlPlane.instances(service: service, healthyOnly: true).instances) ?? []
        complete = complete && instances.count >= count
        found.append("\(service) ×\(instances.count)" + (instances.compactMap { $0.releaseTag ?? $0.region }.isEmpty ? "" : " (\(instances.compactMap { $0.releaseTag ?? $0.region }.sorted().joined(separator: ", ")))"))
      }
      if complete { return found.joined(separator: ", ") }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw DemoError("not every service registered within 20 s")
  }
}
