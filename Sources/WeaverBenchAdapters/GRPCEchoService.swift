import GRPCCore

/// The benchmark echo service over gRPC (`echo.proto`: `echo.Echo/Echo`, exactly the
/// package and service name any generated gRPC client expects): it answers with the
/// message it got, or, relaying, with what the next hop answered for it.
public struct GRPCEchoService: Echo_Echo.SimpleServiceProtocol {
  /// The next hop, when this server relays.
  public let forward: (@Sendable (String) async throws -> String)?

  public init(forward: (@Sendable (String) async throws -> String)? = nil) {
    self.forward = forward
  }

  public func echo(request: Echo_EchoRequest, context: ServerContext) async throws -> Echo_EchoResponse {
    var response = Echo_EchoResponse()
    response.message = try await forward?(request.message) ?? request.message
    return response
  }
}
