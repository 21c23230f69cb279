import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Testing
import WeaverAdmin
import WeaverBench
import WeaverCore
import WeaverRPC
import WeaverTelemetry
import WeaverTestSupport

/// RPC metrics through swift-metrics into a Prometheus registry, served by the admin
/// endpoint over a real socket: `promtool check metrics` accepts the exposition without a
/// warning, and a real Prometheus (Debian's) scrapes it.
@Suite(.timeLimit(.minutes(2)), .serialized) struct MetricsExpositionTests {
  /// An echo server and client with the metrics and call-statistics middleware, a few calls
  /// (one failing), transport metrics, and the admin endpoint over their registry and
  /// snapshot sources; `body` gets the endpoint's port.
  static func withMeasuredCalls(_ body: @Sendable (Int) async throws -> Void) async throws {
    let registry = PrometheusCollectorRegistry()
    let factory = PrometheusMetricsFactory(registry: registry)
    let sources = RuntimeSnapshotSources()
    let transport = TransportMetricsReporter(factory: factory)
    let serving = ThriftServerConfiguration(
      middlewares: [MetricsServerMiddleware(factory: factory), CallStatisticsServerMiddleware(sources.calls)])
    try await withEchoServer(serving) { server in
      let port = try await server.localAddress.port!
      let client = try ThriftClient(
        addresses: ["127.0.0.1:\(port)"],
        configuration: ThriftClientConfiguration(
          connectTimeout: .testConnectTimeout, middlewares: [MetricsClientMiddleware(factory: factory), CallStatisticsClientMiddleware(sources.calls)]))
      defer { client.close() }
      sources.watch(server, as: "echo")
      transport.watch(server, as: "echo")
      sources.watch(client, as: "EchoService")
      transport.watch(client, as: "EchoService")
      let echo = EchoService.Client(channel: client)
      for index in 0..<5 { _ = try await echo.echo(req: EchoRequest(message: "m\(index)")) }
      // A call nobody answers: a failure with its code.
      let closed = try ThriftClient(
        addresses: ["127.0.0.1:1"], configuration: ThriftClientConfiguration(middlewares: [MetricsClientMiddleware(factory: factory)]))
      defer { closed.close() }
      await #expect(throws: RPCError.self) { _ = try await EchoService.Client(channel: closed).echo(req: EchoRequest(message: "x")) }

      let (ports, bound) = AsyncStream<Int>.makeStream()
      let admin = AdminServer(
        configuration: .init(port: 0), registry: registry, snapshot: sources, beforeScrape: { transport.report() },
        onListening: { address in bound.yield(address.port ?? 0) })
      let group = ServiceGroup(configuration: .init(services: [admin], logger: Logger(label: "test")))
      let running = Task { try await group.run() }
      defer { running.cancel() }
      var iterator = ports.makeAsyncIterator()
      let adminPort = try #require(await iterator.next())
      try await body(adminPort)
      await group.triggerGracefulShutdown()
      try await running.value
    }
  }

  static func withEchoServer(_ configuration: ThriftServerConfiguration, _ body: (ThriftServer) async throws -> Void) async throws {
    let server = ThriftServer(serving: [EchoService.service(EchoBenchService())], configuration: configuration)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      defer { group.cancelAll() }
      try await body(server)
      group.cancelAll()
    }
  }

  static func get(_ url: String) async throws -> String {
    try await ExternalTool.run(["curl", "--silent", "--show-error", "--fail", "--max-time", "5", url], hint: "apt-get install curl")
  }

  @Test func theExpositionPassesPromtoolAndCarriesTheCalls() async throws {
    try await Self.withMeasuredCalls { adminPort in
      let metrics = try await Self.get("http://127.0.0.1:\(adminPort)/metrics")
      #expect(metrics.contains(#"weaver_rpc_server_duration_seconds_count{service="EchoService",method="echo",outcome="success",code="none"} 5"#), "\(metrics)")
      #expect(metrics.contains(#"weaver_rpc_client_duration_seconds_count{service="EchoService",method="echo",outcome="failure",code="connectFailed"} 1"#))
      #expect(metrics.contains("# HELP weaver_rpc_client_duration_seconds Duration of RPC calls made"))
      #expect(metrics.contains(#"weaver_rpc_server_connections_opened_total{endpoint="echo"} 1"#))
      #expect(metrics.contains(#"weaver_rpc_client_bytes_sent_total{endpoint="EchoService"}"#))
      #expect(metrics.contains("# HELP weaver_rpc_server_bytes_received_total Thrift frame bytes read"))
      #expect(try await Self.get("http://127.0.0.1:\(adminPort)/health").contains("ok"))
      #expect(try await Self.get("http://127.0.0.1:\(adminPort)/ready").contains("ready"))
      try await ExternalTool.withTemporaryDirectory { directory in
        let file = directory.appendingPathComponent("metrics.txt").path
        try metrics.write(toFile: file, atomically: true, encoding: .utf8)
        // promtool prints every lint problem and fails on any: silence and status 0 is a pass.
        let lint = try await ExternalTool.run(
          ["bash", "-c", "promtool check metrics < '\(file)' 2>&1"],
          hint: "promtool comes with Debian's prometheus: scripts/install-test-deps (apt-get install prometheus)")
        #expect(lint.isEmpty, "\(lint)")
      }
    }
  }

  @Test func aRealPrometheusScrapesTheAdminEndpoint() async throws {
    try await Self.withMeasuredCalls { adminPort in
      try await ExternalTool.withTemporaryDirectory { directory in
        let prometheusPort = try await Self.freePort()
        let config = directory.appendingPathComponent("prometheus.yml").path
        try """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: weaver
              static_configs:
                - targets: ["127.0.0.1:\(adminPort)"]
          """.write(toFile: config, atomically: true, encoding: .utf8)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        prometheus.arguments = [
          "prometheus", "--config.file", config, "--storage.tsdb.path", directory.appendingPathComponent("data").path,
          "--web.listen-address", "127.0.0.1:\(prometheusPort)",
        ]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        do {
          try prometheus.run()
        } catch {
          Issue.record("cannot start prometheus (scripts/install-test-deps installs it: apt-get install prometheus): \(error)")
          return
        }
        // Prometheus scrapes every second; wait (bounded) for the series to show in its API.
        let query = "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=weaver_rpc_server_duration_seconds_count"
        let deadline = ContinuousClock.now + .seconds(60)
        var answer = ""
        while ContinuousClock.now < deadline, prometheus.isRunning, !Task.isCancelled {
          answer = (try? await Self.get(query)) ?? ""
          if answer.contains(#""method":"echo""#) { break }
          try? await Task.sleep(for: .milliseconds(250))
        }
        // Stopped and waited for on a thread of its own: never block the concurrency pool.
        prometheus.terminate()
        try await ExternalTool.onOwnThread { prometheus.waitUntilExit() }
        #expect(answer.contains(#""method":"echo""#) && answer.contains(#""5"]"#), "Prometheus answered: \(answer)")
      }
    }
  }

  /// A loopback port free a moment ago.
  static func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
  }
}
