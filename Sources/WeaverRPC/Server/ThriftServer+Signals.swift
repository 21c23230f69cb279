import Logging
import NIOCore
import ServiceLifecycle

extension ThriftServer {
  /// Runs the server in a `ServiceGroup` that shuts it down gracefully on SIGTERM and
  /// SIGINT, for a process whose main job is this server; `onListening` is called once it
  /// is bound. `alongside` run in the same group and shut down after the server (telemetry
  /// exporters, an admin endpoint: they see the server's drain through).
  public func runUntilSignalled(
    logger: Logger, alongside: [any Service] = [], onListening: @escaping @Sendable (SocketAddress) -> Void
  ) async throws {
    // A group shuts its services down in reverse order: the server first.
    let services = ServiceGroup(
      configuration: .init(
        services: (alongside + [self]).map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await services.run() }
      onListening(try await self.localAddress)
      try await tasks.waitForAll()
    }
  }
}
