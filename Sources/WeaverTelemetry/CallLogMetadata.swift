import Logging
import WeaverCore

extension Logger.MetadataProvider {
  /// Adds the current call's `rpc.service` and `rpc.method` (and `rpc.caller`, when the
  /// caller named itself) to every log line written inside a call, on either side. Combine
  /// it with a tracer's provider (`WeaverOTel.loggingMetadataProvider` adds `trace_id` and
  /// `span_id`) through `.multiplex`.
  public static let weaverCall = Logger.MetadataProvider {
    guard let call = CallContext.current, !call.service.isEmpty else { return [:] }
    var metadata: Logger.Metadata = ["rpc.service": .string(call.service), "rpc.method": .string(call.method)]
    if let caller = call.caller { metadata["rpc.caller"] = .string(caller) }
    return metadata
  }
}
