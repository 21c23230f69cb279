import WeaverThrift

/// The benchmark echo service (`Echo.thrift`, the IDL every benchmark peer serves, so our
/// server and every peer server are wire-identical): it answers with the message it got.
public struct EchoBenchService: EchoService.ServiceProtocol {
  public init() {}

  public func echo(req: EchoRequest) async throws -> EchoResponse {
    EchoResponse(message: req.message)
  }

  /// The service, ready to host in a `ThriftServer`.
  public static var thriftService: ThriftService { EchoService.service(EchoBenchService()) }
}
