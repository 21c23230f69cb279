import Foundation
import Testing
import WeaverTelemetry
import WeaverTestSupport

/// One trace across three of our processes, in a real OTLP receiver: `weaver demo client` →
/// `weaver demo server` (the gateway) → `weaver demo server` (the store), each exporting
/// over another OTLP protocol (gRPC, HTTP protobuf, HTTP JSON) to the same receiver.
@Suite(.timeLimit(.minutes(3))) struct ThreeProcessTraceTests {
  static var weaver: String { ExternalTool.productsDirectory.appendingPathComponent("weaver").path }

  /// The variables that make a process export quickly (the receiver is polled, the
  /// processes are killed, not asked to flush).
  static func exportQuickly(_ service: String) -> [String] {
    ["OTEL_SERVICE_NAME=\(service)", "OTEL_BSP_SCHEDULE_DELAY=100", "OTEL_METRIC_EXPORT_INTERVAL=200", "OTEL_BLRP_SCHEDULE_DELAY=100"]
  }

  @Test func aCallChainMakesOneTraceWithTheRightParents() async throws {
    try await OTLPReceiver.with { receiver in
      let storeArguments = Self.exportQuickly("feed-store") + [
        Self.weaver, "demo", "server", "--port", "0", "--otlp-endpoint", receiver.grpcEndpoint, "--otlp-protocol", "grpc",
      ]
      try await ExternalTool.withListeningProcess(storeArguments, hint: "swift build --product weaver") { storePort in
        let gatewayArguments = Self.exportQuickly("feed-gateway") + [
          Self.weaver, "demo", "server", "--port", "0", "--upstream", "127.0.0.1:\(storePort)",
          "--otlp-endpoint", receiver.httpEndpoint, "--otlp-protocol", "http/protobuf",
        ]
        try await ExternalTool.withListeningProcess(gatewayArguments, hint: "swift build --product weaver") { gatewayPort in
          try await ExternalTool.run(
            Self.exportQuickly("demo-client") + [
              Self.weaver, "demo", "client", "--target", "127.0.0.1:\(gatewayPort)",
              "--otlp-endpoint", receiver.httpEndpoint, "--otlp-protocol", "http/json",
            ], hint: "swift build --product weaver")
          // The client flushed on exit; the servers send within 100 ms.
          let arrived = await eventually {
            let spans = (try? await receiver.spans()) ?? []
            return spans.contains { $0.service == "feed-store" && $0.name == "FeedService/getFeed" }
          }
          #expect(arrived)
          let spans = try await receiver.spans()
          let root = try #require(
            spans.first { $0.service == "demo-client" && $0.name == "FeedService/getFeed" && $0.parentSpanID.isEmpty }, "\(spans)")
          let trace = spans.filter { $0.traceID == root.traceID }
          #expect(trace.count == 4, "\(trace)")
          let gatewayServer = try #require(trace.first { $0.service == "feed-gateway" && $0.kind == OTLPReceiver.Span.server })
          let gatewayClient = try #require(trace.first { $0.service == "feed-gateway" && $0.kind == OTLPReceiver.Span.client })
          let storeServer = try #require(trace.first { $0.service == "feed-store" && $0.kind == OTLPReceiver.Span.server })
          #expect(root.kind == OTLPReceiver.Span.client)
          #expect(gatewayServer.parentSpanID == root.spanID)
          #expect(gatewayClient.parentSpanID == gatewayServer.spanID)
          #expect(storeServer.parentSpanID == gatewayClient.spanID)
          #expect(Set(trace.map(\.via)) == ["http/json", "http/protobuf", "grpc"])
          #expect(storeServer.attributes["weaver.caller.service"] == "feed-gateway")
          // Metrics came too, by the same processes.
          #expect(await eventually { (try? await receiver.metricNames().contains(RPCMetricNames.serverDuration)) == true })
        }
      }
    }
  }
}
