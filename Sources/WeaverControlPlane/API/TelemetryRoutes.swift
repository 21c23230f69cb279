import Foundation
import Hummingbird

/// OTLP/HTTP JSON in (`POST /v1/traces`, `/v1/logs`; `/v1/metrics` is accepted and not
/// kept), so services can export to the control plane as to any collector
/// (`OTEL_EXPORTER_OTLP_ENDPOINT=http://HOST:8500`, `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`),
/// and one trace out as JSON (`GET /v1/traces/{traceID}`: its spans and its log records).
struct TelemetryRoutes {
  let telemetry: TelemetryStore

  struct TraceAnswer: Encodable {
    var traceID: String
    var spans: [SpanRecord]
    var logs: [LogRecordEntry]
  }

  func add(to router: Router<ControlPlaneRequestContext>) {
    router.post("v1/traces") { request, context in
      let json = try await Self.json(request, context)
      let count = try Self.decoding("trace") { try telemetry.ingestTraces(json) }
      context.logger.trace("took \(count) spans")
      return JSONResponses.response([String: String]())
    }
    router.post("v1/logs") { request, context in
      let json = try await Self.json(request, context)
      try Self.decoding("log") { try telemetry.ingestLogs(json) }
      return JSONResponses.response([String: String]())
    }
    router.post("v1/metrics") { request, context in
      _ = try await Self.json(request, context)
      return JSONResponses.response([String: String]())
    }
    router.get("v1/traces/:traceID") { _, context in
      let id = try context.segment("traceID").lowercased()
      guard id.count == 32, id.allSatisfy(\.isHexDigit) else { throw APIError.invalid("a trace id is 32 hex digits; got '\(id.prefix(40))'") }
      let spans = telemetry.trace(id)
      guard !spans.isEmpty else { throw APIError(.notFound, "not_found", "no spans of trace \(id) here (it is not kept, or was never exported here)") }
      return JSONResponses.response(TraceAnswer(traceID: id, spans: spans, logs: telemetry.logs(traceID: id)))
    }
  }

  /// Runs `ingest`; a body that is not an OTLP/JSON export is the sender's error (400).
  @discardableResult
  static func decoding(_ kind: String, _ ingest: () throws -> Int) throws -> Int {
    do {
      return try ingest()
    } catch let error as DecodingError {
      throw APIError.invalid("not an OTLP/JSON \(kind) export: \(error)")
    }
  }

  /// The body of an OTLP export, which must be JSON.
  static func json(_ request: Request, _ context: ControlPlaneRequestContext) async throws -> Data {
    let type = request.headers[.contentType] ?? ""
    guard type.hasPrefix("application/json") else {
      throw APIError(
        .unsupportedMediaType, "unsupported_media_type",
        "this receiver takes OTLP/HTTP JSON (Content-Type: application/json; OTEL_EXPORTER_OTLP_PROTOCOL=http/json); got '\(type)'")
    }
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    return Data(buffer: body)
  }
}
