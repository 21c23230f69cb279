import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import WeaverOTel

/// swift-otel's nested groups can see their exporter end before the processor that shut it
/// down; a stopping process must not fail for that, a running one still must.
@Suite struct ShutdownOrderTests {
  /// Ends when `release` is called.
  final class Releasable: Service, Sendable {
    let released = AsyncStream<Void>.makeStream()
    func release() { released.continuation.finish() }
    func run() async { for await _ in released.stream {} }
  }

  /// On graceful shutdown, releases `other` and then waits to be cancelled: its group sees
  /// `other` finish first, as swift-otel's sees its exporter.
  struct ReleasesOtherOnShutdown: Service {
    let other: Releasable
    func run() async throws {
      await withGracefulShutdownHandler {
        try? await Task.sleep(for: .seconds(3600))
      } onGracefulShutdown: {
        other.release()
      }
    }
  }

  static func racingGroup() -> ServiceGroup {
    let exporter = Releasable()
    return ServiceGroup(
      services: [exporter, ReleasesOtherOnShutdown(other: exporter)],
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
  }

  @Test func theRaceItselfFailsABareGroup() async throws {
    let outer = ServiceGroup(services: [Self.racingGroup()], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let running = Task { try await outer.run() }
    await outer.triggerGracefulShutdown()
    let error = await #expect(throws: ServiceGroupError.self) { try await running.value }
    #expect(error?.errorCode == .serviceFinishedUnexpectedly)
  }

  @Test func aStoppingProcessIsNotFailedByTheRace() async throws {
    let outer = ServiceGroup(
      services: [ShutdownOrderTolerantService(inner: Self.racingGroup())],
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let running = Task { try await outer.run() }
    await outer.triggerGracefulShutdown()
    try await running.value
  }

  @Test func aServiceEndingWhileRunningStillFails() async throws {
    let exporter = Releasable()
    let inner = ServiceGroup(services: [exporter], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let outer = ServiceGroup(
      services: [ShutdownOrderTolerantService(inner: inner)],
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let running = Task { try await outer.run() }
    exporter.release()
    let error = await #expect(throws: ServiceGroupError.self) { try await running.value }
    #expect(error?.errorCode == .serviceFinishedUnexpectedly)
  }
}
