/// Span and attribute names of the OpenTelemetry RPC semantic conventions, as our spans
/// use them (docs/observability.md lists each).
public enum RPCSpanAttributes {
  /// `apache_thrift` for Thrift calls (`grpc`, `http` from the adapters).
  public static let system = "rpc.system"
  public static let service = "rpc.service"
  public static let method = "rpc.method"
  /// The instance a client span's call went to (its last attempt's), host and port.
  public static let serverAddress = "server.address"
  public static let serverPort = "server.port"
  /// The caller's service name, when it said (server spans).
  public static let callerService = "weaver.caller.service"
  /// Why a call failed: the `RPCError` code (`deadline_exceeded`, `overloaded`, …).
  public static let errorType = "error.type"
  /// `true` when a declared (business) exception ended the call; the span is not an error.
  public static let declaredException = "rpc.thrift.exception"
  /// The release tag the call carried (traffic colouring), when it carried one.
  public static let releaseTag = "weaver.release_tag"

  /// The span name: `service/method`, as the conventions name RPC spans.
  public static func spanName(service: String, method: String) -> String { service + "/" + method }
}
