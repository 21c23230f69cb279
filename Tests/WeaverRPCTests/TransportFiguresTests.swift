import Foundation
import MetricsTestKit
import Synchronization
import Testing
import WeaverBench
import WeaverCore
import WeaverRPC
@testable import WeaverTelemetry

/// What servers and clients count of their connections, as metrics and snapshot figures.
@Suite struct TransportFiguresTests {
  @Test func bytesAndConnectionsAreCountedOnBothSidesAndReportedAsMetrics() async throws {
    try await withServer([EchoService.service(EchoBenchService())]) { server, port in
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
      defer { client.close() }
      let echo = EchoService.Client(channel: client)
      for index in 0..<10 { _ = try await echo.echo(req: EchoRequest(message: String(repeating: "x", count: 100 * index))) }
      let sent = client.transportStatistics.counts
      let served = server.transportStatistics.counts
      // Every byte one side wrote, the other read (the server's last reply is read before the call returns).
      #expect(sent.bytesSent > 4_500 && sent.bytesSent == served.bytesReceived)
      #expect(served.bytesSent == sent.bytesReceived)
      #expect(sent.connectionsOpened == 1 && served.connectionsOpened == 1)

      let metrics = TestMetrics()
      let reporter = TransportMetricsReporter(factory: metrics)
      reporter.watch(server, as: "echo")
      reporter.watch(client, as: "EchoService")
      reporter.report()
      let endpoint = [("endpoint", "echo")]
      #expect(metrics.counterTotal(label: TransportMetricNames.serverBytesReceived, dimensions: endpoint) == Int64(served.bytesReceived))
      #expect(metrics.counterTotal(label: TransportMetricNames.clientBytesSent, dimensions: [("endpoint", "EchoService")]) == Int64(sent.bytesSent))
      #expect(try metrics.expectGauge(TransportMetricNames.serverConnections, endpoint).lastValue == 1)
      // Reported again: counters go up by what happened since, not by the totals again.
      _ = try await echo.echo(req: EchoRequest(message: "more"))
      reporter.report()
      #expect(
        metrics.counterTotal(label: TransportMetricNames.serverBytesReceived, dimensions: endpoint)
          == Int64(server.transportStatistics.counts.bytesReceived))
    }
  }

  @Test func callsWaitingForAPooledConnectionAreCounted() async throws {
    try await withServer([EchoService.service(EchoBenchService())]) { _, port in
      // Framed: one call per connection at a time; one connection: the rest wait.
      var configuration = ThriftClientConfiguration(transport: .framed, connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(60))
      configuration.maxConnectionsPerInstance = 1
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
      defer { client.close() }
      let echo = EchoService.Client(channel: client)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<20 { group.addTask { _ = try await echo.echo(req: EchoRequest(message: "\(index)")) } }
        try await group.waitForAll()
      }
      #expect(client.transportStatistics.counts.poolWaits > 0)
      #expect(client.transportStatistics.counts.connectionsOpened == 1)
    }
  }

  @Test func aRefusedConnectIsCountedOnTheClient() async throws {
    let client = try ThriftClient(addresses: ["127.0.0.1:1"])
    defer { client.close() }
    await #expect(throws: RPCError.self) { _ = try await EchoService.Client(channel: client).echo(req: EchoRequest(message: "x")) }
    #expect(client.transportStatistics.counts.connectionsRefused == 1)
  }
}

/// Calls in flight and recent latency by method, on a test clock.
@Suite struct CallStatisticsTests {
  final class TestClock: Sendable {
    let start = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)
    var now: ContinuousClock.Instant { start.advanced(by: offset.withLock { $0 }) }
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
  }

  @Test func quantilesComeFromTheRecentWindowsOnly() throws {
    let clock = TestClock()
    let statistics = CallStatistics(window: .seconds(30), now: { clock.now })
    let key = statistics.calls(.server, CallContext(service: "Feed", method: "get"))
    // 100 calls: 98 of 1 ms, one of 3 ms, one of 200 ms; and one still in flight.
    for index in 0..<100 {
      statistics.started(key)
      statistics.finished(key, after: index == 99 ? .milliseconds(200) : index == 98 ? .milliseconds(3) : .milliseconds(1))
    }
    statistics.started(key)
    var figures = try #require(statistics.figures.first)
    #expect(figures.calls == 100 && figures.inFlight == 1 && figures.side == .server)
    // Buckets are within 12.5 % of the value.
    #expect(try #require(figures.p50Milliseconds) >= 1 && figures.p50Milliseconds! <= 1.125)
    #expect(try #require(figures.p99Milliseconds) >= 3 && figures.p99Milliseconds! <= 3.375, "the 99th of 100 is the 3 ms one")
    // One window later the calls are in the previous window, still counted; two later, gone.
    clock.advance(by: .seconds(31))
    figures = try #require(statistics.figures.first)
    #expect(figures.calls == 100)
    clock.advance(by: .seconds(61))
    figures = try #require(statistics.figures.first)
    #expect(figures.calls == 0 && figures.p99Milliseconds == nil && figures.inFlight == 1)
  }

  @Test func methodsAreOrderedByP99() {
    let statistics = CallStatistics()
    for (method, duration) in [("fast", Duration.microseconds(300)), ("slow", .milliseconds(40)), ("middle", .milliseconds(2))] {
      let key = statistics.calls(.client, CallContext(service: "Feed", method: method))
      statistics.started(key)
      statistics.finished(key, after: duration)
    }
    #expect(statistics.figures.map(\.method) == ["slow", "middle", "fast"])
  }

  @Test func theMiddlewareCountsACallInFlightUntilItEnds() async throws {
    let statistics = CallStatistics()
    let middleware = CallStatisticsServerMiddleware(statistics)
    let (entered, inside) = AsyncStream<Void>.makeStream()
    let (released, release) = AsyncStream<Void>.makeStream()
    let call = Task {
      try await middleware.intercept((), context: CallContext(service: "Feed", method: "get")) { _, _ in
        inside.yield()
        for await _ in released { break }
      }
    }
    for await _ in entered { break }
    #expect(statistics.figures.first?.inFlight == 1)
    release.yield()
    try await call.value
    #expect(statistics.figures.first?.inFlight == 0 && statistics.figures.first?.calls == 1)
  }
}
