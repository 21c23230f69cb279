import AsyncHTTPClient
import Foundation
import GRPCCore
import NIOCore
import ServiceLifecycle
import WeaverBench
import WeaverCore
import WeaverDiscovery
import WeaverGRPC
import WeaverGovernance
import WeaverHTTP
import WeaverRPC

/// The next hop of a relaying echo server: a governed client of another echo service, in
/// any of the three protocols. Every hop of a chain (HTTP → Thrift → gRPC, say) forwards
/// the call's context — release tag, region, persistent keys, trace — so a canary tag set
/// at the edge reaches the canary instances of every service behind it.
public struct EchoForwarder: Sendable {
  /// Echoes a message through the next hop.
  public let call: @Sendable (String) async throws -> String
  /// What must run while the forwarder is used (the client following discovery).
  public let service: any Service

  /// What every forwarder is built from.
  public struct Settings: Sendable {
    public var resolver: any InstanceResolver
    public var governance: ClientGovernor?
    public var callerName: String?
    public var middlewares: [any ClientMiddleware]
    public var timeout: Duration

    public init(
      resolver: any InstanceResolver, governance: ClientGovernor? = nil, callerName: String? = nil, middlewares: [any ClientMiddleware] = [],
      timeout: Duration = .seconds(5)
    ) {
      self.resolver = resolver
      self.governance = governance
      self.callerName = callerName
      self.middlewares = middlewares
      self.timeout = timeout
    }
  }

  /// Forwards to a Thrift echo service (`EchoService` of Echo.thrift, TTHeader).
  public static func thrift(_ settings: Settings) -> EchoForwarder {
    let client = ThriftClient(
      resolver: settings.resolver,
      configuration: ThriftClientConfiguration(
        rpcTimeout: settings.timeout, callerName: settings.callerName, middlewares: settings.middlewares),
      governance: settings.governance)
    let echo = EchoService.Client(channel: client)
    return EchoForwarder(call: { try await echo.echo(req: EchoRequest(message: $0)).message }, service: client)
  }

  /// Forwards to a gRPC echo service (`echo.Echo/Echo`).
  public static func grpc(_ settings: Settings) -> EchoForwarder {
    let transport = GovernedGRPCTransport(
      resolver: settings.resolver, governance: settings.governance,
      configuration: .init(callerName: settings.callerName, middlewares: settings.middlewares))
    let client = GRPCClient(transport: transport)
    let echo = Echo_Echo.Client(wrapping: client)
    var options = CallOptions.defaults
    options.timeout = settings.timeout
    return EchoForwarder(
      call: { [options] message in
        var request = Echo_EchoRequest()
        request.message = message
        do {
          return try await echo.echo(request, options: options).message
        } catch let error as GRPCCore.RPCError {
          // The failure crosses into this server's protocol as itself (overloaded, …).
          throw GRPCErrorMapping.weaverError(error) ?? error
        }
      },
      service: GRPCClientService(client: client))
  }

  /// Forwards to an HTTP echo service (`POST /echo`).
  public static func http(_ settings: Settings) -> EchoForwarder {
    let client = GovernedHTTPClient(
      service: HTTPEchoRouter.service, resolver: settings.resolver, governance: settings.governance,
      configuration: .init(callerName: settings.callerName, middlewares: settings.middlewares, defaultTimeout: settings.timeout))
    return EchoForwarder(
      call: { message in
        let body = try JSONEncoder().encode(EchoMessage(message: message))
        let answer = try await client.execute(.POST, "/echo", headers: ["content-type": "application/json"], body: ByteBuffer(bytes: body))
        guard answer.status == .ok else {
          let code = answer.headers.first(name: HTTPErrorMapping.codeHeader).flatMap(RPCError.Code.init(name:)) ?? .serverError
          throw RPCError(code, "the next hop answered \(answer.status.code): \(answer.text)")
        }
        return try JSONDecoder().decode(EchoMessage.self, from: Data(buffer: answer.body)).message
      },
      service: client)
  }
}

/// A grpc-swift client as a `ServiceLifecycle` service: runs its connections until
/// graceful shutdown.
public struct GRPCClientService<Transport: ClientTransport>: Service {
  public let client: GRPCClient<Transport>

  public init(client: GRPCClient<Transport>) {
    self.client = client
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await client.runConnections()
    } onGracefulShutdown: {
      client.beginGracefulShutdown()
    }
  }
}
