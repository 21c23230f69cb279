import WeaverBench
import WeaverRPC

/// One echo call, to check that a server answers.
enum EchoLoadProbe {
  @discardableResult
  static func call(_ client: ThriftClient, message: String = "probe") async throws -> String {
    try await EchoService.Client(channel: client).echo(req: EchoRequest(message: message)).message
  }

  /// A fresh client's call to `port`: whether the server still serves newcomers.
  static func freshCall(port: Int) async throws -> String {
    let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
    defer { client.close() }
    return try await call(client)
  }
}
