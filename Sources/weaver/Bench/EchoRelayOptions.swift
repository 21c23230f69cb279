import ArgumentParser
import ServiceLifecycle
import WeaverBenchAdapters
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore
import WeaverDiscovery
import WeaverGovernance

/// `weaver bench serve-echo`'s options for chains: relay every echo to another echo
/// service, and announce this server in the control plane (with a release tag), so an
/// edge → Thrift → gRPC chain of echo servers can be run and coloured end to end.
struct EchoRelayOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "Relay every echo to another echo service and answer with its reply: PROTOCOL://HOST:PORT[,HOST:PORT…], or with --control-plane PROTOCOL://SERVICE (thrift, grpc or http).",
    valueName: "target"))
  var forward: String?

  @Option(help: ArgumentHelp("Governance rules (service.yaml) for the calls --forward makes, watched live (default: built-in defaults).", valueName: "file"))
  var forwardRules: String?

  @Option(help: ArgumentHelp("Control-plane URL: register this server there under its protocol's service name, and find --forward's service there.", valueName: "url"))
  var controlPlane: String?

  @Option(help: "The release tag this server registers with (canary, …); needs --control-plane.")
  var releaseTag: String?

  func validate() throws {
    if releaseTag != nil, controlPlane == nil { throw ValidationError("--release-tag needs --control-plane (the tag is announced there)") }
    if forwardRules != nil, forward == nil { throw ValidationError("--forward-rules needs --forward") }
    if let forward { _ = try ForwardTarget(forward, controlPlane: controlPlane != nil) }
  }

  /// `rpc.system` of the calls `--forward` makes.
  var forwardSystem: String {
    forward.flatMap { try? ForwardTarget($0, controlPlane: true) }?.protocol.system ?? EchoProtocol.thrift.system
  }

  var controlPlaneClient: ControlPlaneClient? {
    controlPlane.map { ControlPlaneClient(configuration: .init(servers: [$0])) }
  }

  /// The next hop, with what must run beside it (its rules, its client); nil without `--forward`.
  func forwarder(callerName: String, middlewares: [any ClientMiddleware], controlPlane client: ControlPlaneClient?) throws -> (
    forwarder: EchoForwarder, services: [any Service]
  )? {
    guard let forward else { return nil }
    let target = try ForwardTarget(forward, controlPlane: client != nil)
    let service = target.service ?? target.protocol.serviceName
    let resolver: any InstanceResolver =
      if let client, target.addresses.isEmpty { ControlPlaneResolver(client: client, service: service) } else {
        try StaticResolver(addresses: target.addresses)
      }
    let rules = try forwardRules.map { try WatchedRuleFile.store(service: service, path: $0) } ?? RuleStore(service: service)
    let settings = EchoForwarder.Settings(
      resolver: resolver, governance: ClientGovernor(rules: rules), callerName: callerName, middlewares: middlewares)
    let forwarder: EchoForwarder =
      switch target.protocol {
      case .thrift: .thrift(settings)
      case .grpc: .grpc(settings)
      case .http: .http(settings)
      }
    return (forwarder, [RuleStoreService(store: rules), forwarder.service])
  }

  /// Registers this server once its port is known; nil without `--control-plane`.
  func registrar(service: String, host: String, client: ControlPlaneClient?) -> PortRegistrar? {
    client.map { PortRegistrar(client: $0, service: service, host: host, releaseTag: releaseTag) }
  }
}

/// `--forward`'s value: a protocol and either addresses or a service name.
struct ForwardTarget {
  var `protocol`: EchoProtocol
  var addresses: [String] = []
  var service: String?

  init(_ text: String, controlPlane: Bool) throws {
    guard let separator = text.range(of: "://"), let kind = EchoProtocol(rawValue: String(text[..<separator.lowerBound])) else {
      throw ValidationError("--forward \(text): expected PROTOCOL://TARGET with PROTOCOL thrift, grpc or http")
    }
    self.protocol = kind
    let rest = String(text[separator.upperBound...])
    let parts = rest.split(separator: ",").map(String.init)
    if !parts.isEmpty, parts.allSatisfy({ Instance(address: $0) != nil }) {
      addresses = parts
    } else if controlPlane, !rest.isEmpty, !rest.contains(",") {
      service = rest
    } else {
      throw ValidationError("--forward \(text): expected HOST:PORT addresses, or a service name with --control-plane")
    }
  }
}

/// Runs a rule store (following its sources) as a service.
struct RuleStoreService: Service {
  let store: RuleStore

  func run() async throws {
    try await cancelWhenGracefulShutdown {
      try await store.run()
      try await gracefulShutdown()  // a store without sources has nothing to follow
    }
  }
}

/// A ``Registrar`` that starts once the server it announces knows its port (port 0 picks
/// one at bind time).
final class PortRegistrar: Service, Sendable {
  let client: ControlPlaneClient
  let service: String
  let host: String
  let releaseTag: String?
  /// The rest of the registration (region, zone, protocol, id); host, port and release tag
  /// are filled in.
  let details: InstanceRegistration
  private let ports: AsyncStream<Int>
  private let portSink: AsyncStream<Int>.Continuation

  init(client: ControlPlaneClient, service: String, host: String, releaseTag: String?, details: InstanceRegistration? = nil) {
    self.client = client
    self.service = service
    self.host = host
    self.releaseTag = releaseTag
    self.details = details ?? InstanceRegistration(host: host, port: 0)
    (ports, portSink) = AsyncStream<Int>.makeStream()
  }

  /// The server listens on `port`: register it.
  func listening(on port: Int) {
    portSink.yield(port)
    portSink.finish()
  }

  func run() async throws {
    let port = await withGracefulShutdownHandler {
      await ports.first { _ in true }
    } onGracefulShutdown: {
      self.portSink.finish()
    }
    guard let port else { return }
    var registration = details
    (registration.host, registration.port, registration.releaseTag) = (host, port, releaseTag)
    try await Registrar(client: client, service: service, registration: registration).run()
  }
}
