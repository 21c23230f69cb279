import GRPCCore
import GRPCNIOTransportHTTP2
import NIOPosix
import Hummingbird
import ServiceLifecycle
import WeaverCore
import WeaverGRPC

/// A grpc-swift server as a `ServiceLifecycle` service: serves until graceful shutdown,
/// then lets calls in flight finish.
public struct GRPCServerService: Service {
  public let server: GRPCServer<HTTP2ServerTransport.Posix>

  public init(server: GRPCServer<HTTP2ServerTransport.Posix>) {
    self.server = server
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await server.serve()
    } onGracefulShutdown: {
      server.beginGracefulShutdown()
    }
  }
}

/// The echo servers of every protocol, with the middleware (governance, telemetry) given;
/// with `forward`, each relays to the next hop instead of answering itself.
public enum EchoServers {
  /// A gRPC echo server on `host:port` (0: any free port).
  public static func grpc(
    host: String, port: Int, middlewares: [any ServerMiddleware], forward: (@Sendable (String) async throws -> String)? = nil,
    eventLoopGroup: MultiThreadedEventLoopGroup = .singleton
  ) -> GRPCServer<HTTP2ServerTransport.Posix> {
    GRPCServer(
      transport: HTTP2ServerTransport.Posix(
        address: .ipv4(host: host, port: port), transportSecurity: .plaintext, eventLoopGroup: eventLoopGroup),
      services: [GRPCEchoService(forward: forward)],
      interceptors: middlewares.isEmpty ? [] : [GovernanceServerInterceptor(middlewares)])
  }

  /// An HTTP/1.1 echo server (`POST /echo`) on `host:port`; `onListening` gets the port.
  public static func http(
    host: String, port: Int, middlewares: [any ServerMiddleware], forward: (@Sendable (String) async throws -> String)? = nil,
    eventLoopGroup: MultiThreadedEventLoopGroup = .singleton, onListening: @escaping @Sendable (Int) async -> Void
  ) -> some ApplicationProtocol & Service {
    Application(
      router: HTTPEchoRouter.make(middlewares: middlewares, forward: forward),
      configuration: .init(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
      eventLoopGroupProvider: .shared(eventLoopGroup))
  }
}
