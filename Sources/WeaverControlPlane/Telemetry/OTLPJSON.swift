import Foundation

/// OTLP/HTTP JSON (`http/json`), as much of it as the console shows: spans, log records,
/// their resources' `service.name`. Decoded leniently where the spec is lenient (ids in hex
/// or, as swift-otel 1.6 writes them, base64; numbers as strings or numbers).
enum OTLPJSON {
  struct TracesRequest: Decodable { var resourceSpans: [ResourceSpans]? }
  struct ResourceSpans: Decodable {
    var resource: Resource?
    var scopeSpans: [ScopeSpans]?
  }
  struct ScopeSpans: Decodable { var spans: [Span]? }
  struct Span: Decodable {
    var traceId: String
    var spanId: String
    var parentSpanId: String?
    var name: String?
    var kind: Int?
    var startTimeUnixNano: Nanos?
    var endTimeUnixNano: Nanos?
    var attributes: [KeyValue]?
    var status: Status?
    var events: [Event]?
  }
  struct Event: Decodable {
    var name: String?
    var attributes: [KeyValue]?
  }
  struct Status: Decodable {
    /// 0 unset, 1 ok, 2 error.
    var code: Int?
    var message: String?
  }

  struct LogsRequest: Decodable { var resourceLogs: [ResourceLogs]? }
  struct ResourceLogs: Decodable {
    var resource: Resource?
    var scopeLogs: [ScopeLogs]?
  }
  struct ScopeLogs: Decodable { var logRecords: [LogRecord]? }
  struct LogRecord: Decodable {
    var timeUnixNano: Nanos?
    var observedTimeUnixNano: Nanos?
    var severityText: String?
    var body: AnyValue?
    var traceId: String?
    var spanId: String?
    var attributes: [KeyValue]?
  }

  struct Resource: Decodable { var attributes: [KeyValue]? }
  struct KeyValue: Decodable {
    var key: String
    var value: AnyValue?
  }

  /// A value of any OTLP kind, shown as text.
  struct AnyValue: Decodable {
    var text: String

    enum CodingKeys: String, CodingKey { case stringValue, intValue, doubleValue, boolValue, arrayValue, kvlistValue, bytesValue }
    struct ArrayValue: Decodable { var values: [AnyValue]? }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      if let string = try container.decodeIfPresent(String.self, forKey: .stringValue) {
        text = string
      } else if let int = try? container.decodeIfPresent(Nanos.self, forKey: .intValue) {
        text = String(int.value)
      } else if let double = try container.decodeIfPresent(Double.self, forKey: .doubleValue) {
        text = String(double)
      } else if let bool = try container.decodeIfPresent(Bool.self, forKey: .boolValue) {
        text = String(bool)
      } else if let array = try container.decodeIfPresent(ArrayValue.self, forKey: .arrayValue) {
        text = "[" + (array.values ?? []).map(\.text).joined(separator: ", ") + "]"
      } else {
        text = ""
      }
    }
  }

  /// A 64-bit number as OTLP/JSON writes it: a decimal string, or a number.
  struct Nanos: Decodable {
    var value: UInt64

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self), let value = UInt64(text) {
        self.value = value
      } else {
        value = try container.decode(UInt64.self)
      }
    }
  }

  /// A trace or span id in lowercase hex, whichever way it came.
  static func hexID(_ text: String) -> String {
    let isHex = (text.count == 32 || text.count == 16) && text.allSatisfy(\.isHexDigit)
    guard !isHex, let bytes = Data(base64Encoded: text) else { return text.lowercased() }
    return bytes.map { String(format: "%02x", $0) }.joined()
  }

  static func attribute(_ key: String, in attributes: [KeyValue]?) -> String? {
    attributes?.first { $0.key == key }?.value?.text
  }
}
