import Foundation

/// The real OTLP receiver of `Tests/PythonPeer/otlp_receiver.py` (PyPI's
/// opentelemetry-proto and grpcio, in the default python3), queried for what arrived.
public struct OTLPReceiver: Sendable {
  public let httpPort: Int
  public let grpcPort: Int

  public var httpEndpoint: String { "http://127.0.0.1:\(httpPort)" }
  public var grpcEndpoint: String { "http://127.0.0.1:\(grpcPort)" }

  public static let hint = "the OTLP receiver needs PyPI's opentelemetry-proto and grpcio: scripts/install-test-deps"

  /// Runs `body` with a receiver (`stall`: one that accepts exports and never answers).
  public static func with<T: Sendable>(stall: Bool = false, _ body: @Sendable (OTLPReceiver) async throws -> T) async throws -> T {
    try await ExternalTool.withListeningProcess(
      ["python3", "Tests/PythonPeer/otlp_receiver.py"] + (stall ? ["--stall"] : []), hint: hint
    ) { port in
      let info = try await get(port: port, "/info")
      let grpcPort = try require((info as? [String: Any])?["grpc_port"] as? Int)
      return try await body(OTLPReceiver(httpPort: port, grpcPort: grpcPort))
    }
  }

  /// One received span.
  public struct Span: Sendable, CustomStringConvertible {
    public var traceID, spanID, parentSpanID, name, service, via: String
    public var kind: Int
    public var attributes: [String: String]
    public var events: [String]
    public var statusCode: Int

    public var description: String { "\(service) \(name) kind \(kind) \(traceID)/\(spanID)←\(parentSpanID) via \(via)" }

    /// OTLP's span kinds.
    public static let server = 2, client = 3
  }

  public func spans() async throws -> [Span] {
    let list = try await Self.get(port: httpPort, "/spans") as? [[String: Any]] ?? []
    return list.map { item in
      Span(
        traceID: item["traceId"] as? String ?? "", spanID: item["spanId"] as? String ?? "",
        parentSpanID: item["parentSpanId"] as? String ?? "", name: item["name"] as? String ?? "",
        service: item["service"] as? String ?? "", via: item["via"] as? String ?? "", kind: item["kind"] as? Int ?? 0,
        attributes: (item["attributes"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
        events: (item["events"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String },
        statusCode: (item["status"] as? [String: Any])?["code"] as? Int ?? 0)
    }
  }

  /// Received log records: body, traceId, spanId, service.
  public func logs() async throws -> [[String: String]] {
    let list = try await Self.get(port: httpPort, "/logs") as? [[String: Any]] ?? []
    return list.map { $0.mapValues { "\($0)" } }
  }

  /// Received metrics' names.
  public func metricNames() async throws -> Set<String> {
    let list = try await Self.get(port: httpPort, "/metrics") as? [[String: Any]] ?? []
    return Set(list.compactMap { $0["name"] as? String })
  }

  private static func get(port: Int, _ path: String) async throws -> Any {
    let text = try await ExternalTool.run(
      ["curl", "--silent", "--show-error", "--fail", "--max-time", "10", "http://127.0.0.1:\(port)\(path)"], hint: "apt-get install curl")
    return try JSONSerialization.jsonObject(with: Data(text.utf8))
  }
}

private func require<T>(_ value: T?) throws -> T {
  guard let value else { throw ExternalTool.Failure(description: "the OTLP receiver's /info has no grpc_port") }
  return value
}
