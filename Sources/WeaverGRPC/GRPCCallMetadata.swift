import GRPCCore
import WeaverCore

/// How a call's context rides in gRPC metadata, as Kitex's gRPC transport carries it:
/// persistent keys as `rpc-persist-KEY`, transient ones as `rpc-transit-KEY`, the caller's
/// service as `weaver-caller`, plain headers (W3C `traceparent`, `tracestate`, `baggage`)
/// as themselves, the deadline as `grpc-timeout`. HTTP/2 header names are lower case, so
/// keys are lowered on the way out.
public enum GRPCCallMetadata {
  public static let persistentPrefix = Metadata.httpPersistentPrefix
  public static let transientPrefix = Metadata.httpTransientPrefix
  public static let callerKey = "weaver-caller"
  static let timeoutKey = "grpc-timeout"

  /// Adds what `context` carries to a request's metadata.
  public static func write(_ context: CallContext, into metadata: inout GRPCCore.Metadata, now: ContinuousClock.Instant = .now) {
    for (key, value) in context.metadata.persistent { metadata.replaceOrAddString(value, forKey: persistentPrefix + key.lowercased()) }
    for (key, value) in context.metadata.transient { metadata.replaceOrAddString(value, forKey: transientPrefix + key.lowercased()) }
    for (key, value) in context.headers { metadata.replaceOrAddString(value, forKey: key.lowercased()) }
    if let caller = context.caller { metadata.replaceOrAddString(caller, forKey: callerKey) }
    if let remaining = context.remaining(now: now) {
      // An earlier deadline set by the caller's own options stays.
      let ours = encodeTimeout(remaining)
      if let theirs = metadata[stringValues: timeoutKey].first(where: { _ in true }).flatMap(decodeTimeout), theirs <= remaining { return }
      metadata.replaceOrAddString(ours, forKey: timeoutKey)
    }
  }

  /// The context a server reads from a request's metadata.
  public static func read(_ metadata: GRPCCore.Metadata, service: String, method: String, now: ContinuousClock.Instant = .now) -> CallContext {
    var context = CallContext(service: service, method: method)
    var persistent: [String: String] = [:]
    var upstream: [String: String] = [:]
    for (key, value) in metadata {
      guard case .string(let text) = value else { continue }
      if key.hasPrefix(persistentPrefix) {
        persistent[String(key.dropFirst(persistentPrefix.count))] = text
      } else if key.hasPrefix(transientPrefix) {
        upstream[String(key.dropFirst(transientPrefix.count))] = text
      } else if key == callerKey {
        context.caller = text
      } else if key == timeoutKey {
        if let timeout = decodeTimeout(text) { context.deadline = now.advanced(by: timeout) }
      } else {
        context.headers[key] = text
      }
    }
    if !persistent.isEmpty || !upstream.isEmpty { context.metadata = Metadata(persistent: persistent, transientUpstream: upstream) }
    return context
  }

  /// `grpc-timeout` text: at most 8 digits and a unit, the finest unit that fits.
  static func encodeTimeout(_ duration: Duration) -> String {
    let nanoseconds = max(0, duration.components.seconds) * 1_000_000_000 + max(0, duration.components.attoseconds / 1_000_000_000)
    for (unit, size) in [("n", Int64(1)), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000), ("M", 60_000_000_000)] {
      let amount = (nanoseconds + size - 1) / size
      if amount < 100_000_000 { return "\(amount)\(unit)" }
    }
    return "\(min(99_999_999, nanoseconds / 3_600_000_000_000))H"
  }

  /// A `grpc-timeout` value, or `nil` when it is not one.
  static func decodeTimeout(_ text: String) -> Duration? {
    guard let unit = text.last, text.count >= 2, text.count <= 9, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
    switch unit {
    case "H": return .seconds(amount * 3600)
    case "M": return .seconds(amount * 60)
    case "S": return .seconds(amount)
    case "m": return .milliseconds(amount)
    case "u": return .microseconds(amount)
    case "n": return .nanoseconds(amount)
    default: return nil
    }
  }
}
