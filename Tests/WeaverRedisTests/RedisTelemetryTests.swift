import InMemoryTracing
import MetricsTestKit
import Testing
import Tracing
import WeaverTelemetry
import WeaverTestSupport

@testable import WeaverRedis

/// Spans with OpenTelemetry's database attributes, and metrics under `RedisMetricNames`,
/// from commands against a real server.
@Suite(.serialized) struct RedisTelemetryTests {
  @Test func commandsMakeDatabaseSpansAndMetrics() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let tracer = InMemoryTracer()
      let metrics = TestMetrics()
      var configuration = RedisClientConfiguration()
      configuration.tracer = tracer
      configuration.metricsFactory = metrics
      configuration.connection.database = 3
      let address = RedisNodeAddress(host: "127.0.0.1", port: servers.basePort)
      let redis = RedisClient(node: address, configuration: configuration)
      defer { redis.shutdown() }

      try await redis.set("list", to: "not a list")
      await #expect(throws: RedisError.self) { _ = try await redis.lpush("list", ["x"]) }
      let spans = tracer.finishedSpans
      let set = try #require(spans.first { $0.operationName == "SET" })
      #expect(set.kind == .client)
      #expect(set.status == nil)
      #expect(set.attributes["db.system.name"]?.toSpanAttribute() == "redis".toSpanAttribute())
      #expect(set.attributes["db.operation.name"]?.toSpanAttribute() == "SET".toSpanAttribute())
      #expect(set.attributes["db.namespace"]?.toSpanAttribute() == "3".toSpanAttribute())
      #expect(set.attributes["server.address"]?.toSpanAttribute() == "127.0.0.1".toSpanAttribute())
      #expect(set.attributes["server.port"]?.toSpanAttribute() == servers.basePort.toSpanAttribute())
      let push = try #require(spans.first { $0.operationName == "LPUSH" })
      #expect(push.status?.code == .error)
      #expect(push.attributes["error.type"]?.toSpanAttribute() == "error_reply".toSpanAttribute())
      #expect(push.attributes["db.response.status_code"]?.toSpanAttribute() == "WRONGTYPE".toSpanAttribute())
      #expect(try metrics.expectCounter(RedisMetricNames.commands, [("outcome", "ok")]).totalValue == 1)
      #expect(try metrics.expectCounter(RedisMetricNames.commands, [("outcome", "error_reply")]).totalValue == 1)
      // A pipeline's commands count one by one, by how each ended.
      _ = await redis.pipeline([RedisCommand("PING"), RedisCommand("ECHO", arguments: ["x"]), RedisCommand("LPUSH", key: "list", "y")])
      #expect(try metrics.expectCounter(RedisMetricNames.commands, [("outcome", "ok")]).totalValue == 3)
      #expect(try metrics.expectCounter(RedisMetricNames.commands, [("outcome", "error_reply")]).totalValue == 2)

      // The server dies: connects fail and are retried; the third failure opens the node's
      // breaker (gauge 2), so the last retry and the next command end as circuit_open.
      try await servers.command("kill \(servers.basePort)")
      await #expect(throws: RedisError.self) { _ = try await redis.getString("list") }
      #expect(try metrics.expectGauge(RedisMetricNames.breakerState, [("node", address.description)]).lastValue == 2)
      #expect(try metrics.expectCounter(RedisMetricNames.retries, [("reason", "connect_failed")]).totalValue >= 1)
      let spansSoFar = tracer.finishedSpans.count
      await #expect {
        _ = try await redis.getString("list")
      } throws: { error in
        if case .circuitOpen(address, _) = error as? RedisError { return true }
        return false
      }
      #expect(tracer.finishedSpans.count == spansSoFar + 1)
      #expect(try metrics.expectCounter(RedisMetricNames.commands, [("outcome", "circuit_open")]).totalValue == 2)

      // The pool's figures reach their gauges through run()'s upkeep.
      let upkeep = Task { try await redis.run() }
      var idle: TestRecorder?
      for _ in 0..<500 where idle == nil {
        idle = try? metrics.expectGauge(RedisMetricNames.poolConnections, [("node", address.description), ("state", "idle")])
        if idle == nil { try await Task.sleep(for: .milliseconds(10)) }
      }
      upkeep.cancel()
      #expect(idle != nil)
      #expect(try metrics.expectGauge(RedisMetricNames.poolWaiting, [("node", address.description)]).lastValue == 0)
    }
  }
}
