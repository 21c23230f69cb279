import Foundation
import Testing
import WeaverTestSupport

/// The edge-to-backend chain of real processes, found through a real control plane: an HTTP
/// gateway (Hummingbird) → a Thrift service → a gRPC service, each a `weaver bench
/// serve-echo` relay that registers itself (stable, canary or beta) and finds its next hop
/// by service name. The edge's `X-Release-Tag` reaches the tagged instances at every hop
/// (falling back to the untagged ones where a hop has none), and each request is one trace
/// over all three hops in a real OTLP receiver.
@Suite(.timeLimit(.minutes(4))) struct EdgeToBackendChainTests {
  static var weaver: String { ExternalTool.productsDirectory.appendingPathComponent("weaver").path }
  static let hint = "swift build --product weaver"

  /// One process of the chain: its name in traces, its protocol, its tag and next hop.
  struct Hop {
    var name: String
    var protocolName: String
    var releaseTag: String?
    var forward: String?
  }

  static let hops = [
    Hop(name: "grpc-stable", protocolName: "grpc"),
    Hop(name: "grpc-canary", protocolName: "grpc", releaseTag: "canary"),
    Hop(name: "thrift-stable", protocolName: "thrift", forward: "grpc://echo.Echo"),
    Hop(name: "thrift-canary", protocolName: "thrift", releaseTag: "canary", forward: "grpc://echo.Echo"),
    Hop(name: "thrift-beta", protocolName: "thrift", releaseTag: "beta", forward: "grpc://echo.Echo"),
    Hop(name: "edge", protocolName: "http", forward: "thrift://EchoService"),
  ]

  static func command(_ hop: Hop, controlPlane: String, receiver: OTLPReceiver) -> [String] {
    // Exported quickly: the receiver is polled, the processes are killed, not flushed.
    ["OTEL_SERVICE_NAME=\(hop.name)", "OTEL_BSP_SCHEDULE_DELAY=100", "OTEL_METRIC_EXPORT_INTERVAL=200", "OTEL_BLRP_SCHEDULE_DELAY=100",
     weaver, "bench", "serve-echo", "--protocol", hop.protocolName, "--host", "127.0.0.1", "--port", "0",
     "--control-plane", controlPlane, "--otlp-endpoint", receiver.httpEndpoint, "--otlp-protocol", "http/protobuf"]
      + (hop.releaseTag.map { ["--release-tag", $0] } ?? []) + (hop.forward.map { ["--forward", $0] } ?? [])
  }

  /// How many instances the control plane lists for `service`.
  static func registered(_ service: String, controlPlane: String) async -> Int {
    guard let text = try? await ExternalTool.run(["curl", "--silent", "--max-time", "5", "\(controlPlane)/v1/services/\(service)/instances"], hint: ""),
      let body = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let instances = body["instances"] as? [Any]
    else { return 0 }
    return instances.count
  }

  /// Sends `POST /echo` to the edge within a trace of our own; returns the trace id once the
  /// echo came back.
  static func request(edge: Int, releaseTag: String?, message: String) async throws -> String {
    let traceID = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    let output = try await ExternalTool.run(
      ["curl", "--silent", "--show-error", "--max-time", "30", "-X", "POST", "-H", "content-type: application/json",
       "-H", "traceparent: 00-\(traceID)-00f067aa0ba902b7-01", "--data", #"{"message":"\#(message)"}"#]
        + (releaseTag.map { ["-H", "X-Release-Tag: \($0)"] } ?? []) + ["http://127.0.0.1:\(edge)/echo"],
      hint: "apt-get install curl")
    guard output == #"{"message":"\#(message)"}"# else { throw ExternalTool.Failure(description: "the edge answered \(output)") }
    return traceID
  }

  /// The services whose server spans the trace holds, once all three hops have exported.
  static func servingPath(_ traceID: String, receiver: OTLPReceiver) async throws -> Set<String> {
    var path: Set<String> = []
    _ = await eventually {
      let spans = (try? await receiver.spans()) ?? []
      path = Set(spans.filter { $0.traceID == traceID && $0.kind == OTLPReceiver.Span.server }.map(\.service))
      return path.count >= 3
    }
    return path
  }

  @Test func theReleaseTagReachesTheTaggedInstancesOfEveryHopInOneTrace() async throws {
    try await OTLPReceiver.with { receiver in
      try await ExternalTool.withTemporaryDirectory { directory in
        let controlPlaneCommand = [Self.weaver, "server", "--data-dir", directory.path, "--listen", "127.0.0.1:0"]
        try await ExternalTool.withListeningProcess(controlPlaneCommand, hint: Self.hint) { controlPlanePort in
          let controlPlane = "http://127.0.0.1:\(controlPlanePort)"
          let commands = Self.hops.map { Self.command($0, controlPlane: controlPlane, receiver: receiver) }
          try await ExternalTool.withListeningProcesses(commands, hint: Self.hint) { ports in
            let edge = ports[Self.hops.count - 1]
            #expect(await eventually { await Self.registered("echo.Echo", controlPlane: controlPlane) == 2 })
            #expect(await eventually { await Self.registered("EchoService", controlPlane: controlPlane) == 3 })
            // The relays follow the registry by watching it: wait until a canary call has
            // gone the canary way once, then every call must.
            let converged = await eventually {
              guard let trace = try? await Self.request(edge: edge, releaseTag: "canary", message: "warm-up") else { return false }
              return (try? await Self.servingPath(trace, receiver: receiver)) == ["edge", "thrift-canary", "grpc-canary"]
            }
            #expect(converged)
            let expected: [(tag: String?, path: Set<String>)] = [
              ("canary", ["edge", "thrift-canary", "grpc-canary"]),
              (nil, ["edge", "thrift-stable", "grpc-stable"]),
              // No beta instance of the gRPC service: its hop falls back to the untagged one.
              ("beta", ["edge", "thrift-beta", "grpc-stable"]),
              ("blue", ["edge", "thrift-stable", "grpc-stable"]),
            ]
            for (index, (tag, path)) in expected.enumerated() {
              let trace = try await Self.request(edge: edge, releaseTag: tag, message: "call \(index)")
              #expect(try await Self.servingPath(trace, receiver: receiver) == path, "tag \(tag ?? "none")")
              // One trace over all three hops: each server span's parent is the client span of
              // the hop before.
              let spans = try await receiver.spans().filter { $0.traceID == trace }
              for server in spans where server.kind == OTLPReceiver.Span.server && server.service != "edge" {
                let parent = spans.first { $0.spanID == server.parentSpanID }
                #expect(parent?.kind == OTLPReceiver.Span.client, "\(server) has no client parent in \(spans)")
              }
            }
          }
        }
      }
    }
  }
}
