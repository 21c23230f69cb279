import Logging
import NIOCore
import ServiceLifecycle

extension ThriftServer {
  /// Runs the server in a `ServiceGroup` that shuts it down gracefully on SIGTERM and
  /// SIGINT, for a process whose only job is this server; `onListening` is called once it
  /// is bound. (Processes with more services build their own `ServiceGroup`.)
  public func runUntilSignalled(logger: Logger, onListening: @escaping @Sendable (SocketAddress) -> Void) async throws {
    let services = ServiceGroup(
      configuration: .init(services: [.init(service: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await services.run() }
      onListening(try await self.localAddress)
      try await tasks.waitForAll()
    }
  }
}
