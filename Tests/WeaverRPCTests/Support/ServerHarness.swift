import NIOCore
import WeaverRPC
import WeaverThrift

/// Runs a ``ThriftServer`` on a free loopback port for the duration of `body`, and stops it
/// afterwards, also when `body` throws.
func withServer<T: Sendable>(
  _ services: [ThriftService], configuration: ThriftServerConfiguration = ThriftServerConfiguration(),
  _ body: @Sendable (ThriftServer, Int) async throws -> T
) async throws -> T {
  let server = ThriftServer(serving: services, configuration: configuration)
  return try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask {
      try await server.run()
      return nil
    }
    defer { group.cancelAll() }
    let port = try await server.localAddress.port!
    let result = try await body(server, port)
    group.cancelAll()
    return result
  }
}

/// The interop services, served by the Swift handlers.
func interopServices(_ handler: InteropHandler = InteropHandler()) -> [ThriftService] {
  [InteropService.service(handler), SecondService.service(SecondHandler())]
}
