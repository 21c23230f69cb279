import WeaverCore
import WeaverGovernance

/// How a call's context rides in HTTP headers: the edge's `X-Release-Tag` and `x-region`,
/// persistent keys as `rpc-persist-KEY` and transient ones as `rpc-transit-KEY` (as on
/// gRPC), the caller's service as `x-weaver-caller`, and W3C `traceparent`, `tracestate`
/// and `baggage` as themselves.
public enum HTTPCallHeaders {
  /// The edge's release tag header (traffic colouring), kept as the rules' release key.
  public static let releaseTagHeader = "x-release-tag"
  /// The caller's region, kept as persistent `region` (region-affinity routing reads it).
  public static let regionHeader = "x-region"
  public static let callerHeader = "x-weaver-caller"
  /// The persistent key `x-region` is kept under.
  public static let regionKey = ClientGovernor.regionMetadataKey
  /// The plain headers a call carries on (trace context).
  public static let passedHeaders: Set<String> = ["traceparent", "tracestate", "baggage"]

  /// The context a server reads from a request's headers (names lower case).
  public static func read(
    _ headers: some Sequence<(name: String, value: String)>, service: String, method: String, releaseTagKey: String = "release"
  ) -> CallContext {
    var context = CallContext(service: service, method: method)
    var persistent: [String: String] = [:]
    var upstream: [String: String] = [:]
    for (name, value) in headers {
      let name = name.lowercased()
      if name.hasPrefix(Metadata.httpPersistentPrefix) {
        persistent[String(name.dropFirst(Metadata.httpPersistentPrefix.count))] = value
      } else if name.hasPrefix(Metadata.httpTransientPrefix) {
        upstream[String(name.dropFirst(Metadata.httpTransientPrefix.count))] = value
      } else if name == releaseTagHeader {
        if persistent[releaseTagKey] == nil { persistent[releaseTagKey] = value }
      } else if name == regionHeader {
        if persistent[regionKey] == nil { persistent[regionKey] = value }
      } else if name == callerHeader {
        context.caller = value
      } else if passedHeaders.contains(name) {
        context.headers[name] = value
      }
    }
    if !persistent.isEmpty || !upstream.isEmpty { context.metadata = Metadata(persistent: persistent, transientUpstream: upstream) }
    return context
  }

  /// The headers a client sends for `context`.
  public static func write(_ context: CallContext, releaseTagKey: String = "release") -> [(name: String, value: String)] {
    var headers: [(name: String, value: String)] = []
    for (key, value) in context.metadata.persistent { headers.append((Metadata.httpPersistentPrefix + key.lowercased(), value)) }
    for (key, value) in context.metadata.transient { headers.append((Metadata.httpTransientPrefix + key.lowercased(), value)) }
    if let tag = context.metadata.persistent[releaseTagKey] { headers.append((releaseTagHeader, tag)) }
    if let region = context.metadata.persistent[regionKey] { headers.append((regionHeader, region)) }
    if let caller = context.caller { headers.append((callerHeader, caller)) }
    for (name, value) in context.headers { headers.append((name.lowercased(), value)) }
    return headers
  }
}
