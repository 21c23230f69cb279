import ServiceLifecycle

/// Runs one of swift-otel's backend services and forgives the one error its shutdown can
/// race into.
///
/// swift-otel returns each backend as a nested `ServiceGroup` (exporter, processor, tracer)
/// that shuts down in reverse order. The batch processor's last step is to shut the exporter
/// down, so the exporter's `run()` can end a moment before the processor's does, and the
/// group, still waiting for the processor, reports `serviceFinishedUnexpectedly`. By then
/// everything buffered was flushed and handed to the exporter: nothing is lost, and a
/// process that is stopping should not fail for it. Before shutdown began, the same error
/// is real and passes through.
struct ShutdownOrderTolerantService: Service {
  let inner: any Service

  func run() async throws {
    do {
      try await inner.run()
    } catch let error as ServiceGroupError
      where error.errorCode == .serviceFinishedUnexpectedly && Task.isShuttingDownGracefully
    {
      return
    }
  }
}
