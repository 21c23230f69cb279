import WeaverThrift

/// The benchmark echo service (`Echo.thrift`, the IDL every benchmark peer serves, so our
/// server and every peer server are wire-identical): it answers with the message it got,
/// or, relaying, with what the next hop answered for it.
public struct EchoBenchService: EchoService.ServiceProtocol {
  /// The next hop, when this server relays (see `weaver bench serve-echo --forward`).
  public let forward: (@Sendable (String) async throws -> String)?

  public init(forward: (@Sendable (String) async throws -> String)? = nil) {
    self.forward = forward
  }

  public func echo(req: EchoRequest) async throws -> EchoResponse {
    guard let forward else { return EchoResponse(message: req.message) }
    return EchoResponse(message: try await forward(req.message))
  }

  /// The service, ready to host in a `ThriftServer`.
  public static var thriftService: ThriftService { EchoService.service(EchoBenchService()) }
}
