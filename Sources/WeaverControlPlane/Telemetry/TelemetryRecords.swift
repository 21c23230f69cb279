/// A span as the control plane keeps it (from an OTLP export).
public struct SpanRecord: Sendable, Hashable, Codable {
  public var traceID: String
  public var spanID: String
  /// Empty for a trace's root.
  public var parentSpanID: String
  public var name: String
  /// The exporting process's `service.name`.
  public var service: String
  /// The exporting process's `service.instance.id`, if it gave one.
  public var instance: String
  /// `server`, `client`, `internal`, `producer`, `consumer` or `unspecified`.
  public var kind: String
  public var startNanos: UInt64
  public var endNanos: UInt64
  public var isError: Bool
  public var statusMessage: String
  /// Its attributes, by key.
  public var attributes: [String: String]
  /// Its events (`weaver.retry`, `weaver.fault_injected`, …), each as `name key=value…`.
  public var events: [String]

  public var durationNanos: UInt64 { endNanos &- startNanos }

  static func kindName(_ kind: Int?) -> String {
    [1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"][kind ?? 0] ?? "unspecified"
  }
}

/// A log record as the control plane keeps it.
public struct LogRecordEntry: Sendable, Hashable, Codable {
  public var timeNanos: UInt64
  public var service: String
  public var severity: String
  public var body: String
  /// Empty when the record was logged outside a trace.
  public var traceID: String
  public var spanID: String
  public var attributes: [String: String]
}
