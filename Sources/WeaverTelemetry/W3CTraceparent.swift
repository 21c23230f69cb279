import Tracing

/// Reads a W3C `traceparent` (`version-traceid-parentid-flags`) as far as tracing's fast
/// paths need — well formed or not, sampled or not — without parsing it into ids: the
/// server's tracing reads it on every call.
package enum W3CTraceparent {
  package static let key = "traceparent"
  package static let stateKey = "tracestate"

  /// Whether `traceparent` has the W3C layout: a version other than `ff`, a 32-digit trace
  /// id and a 16-digit parent id (neither all zeros), two flag digits, all lower-case hex;
  /// a later version may append fields after a dash.
  package static func isWellFormed(_ traceparent: String) -> Bool {
    var traceparent = traceparent
    return traceparent.withUTF8 { bytes in
      guard bytes.count == 55 || (bytes.count > 55 && bytes[55] == UInt8(ascii: "-")) else { return false }
      guard bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return false }
      guard !(bytes[0] == UInt8(ascii: "f") && bytes[1] == UInt8(ascii: "f")) else { return false }
      for index in 0..<55 where index != 2 && index != 35 && index != 52 && hexValue(bytes[index]) == nil { return false }
      let zero = UInt8(ascii: "0")
      return !bytes[3..<35].allSatisfy { $0 == zero } && !bytes[36..<52].allSatisfy { $0 == zero }
    }
  }

  /// Whether `traceparent` is well formed and its `sampled` flag is clear. Anything else
  /// (malformed, sampled) is left to the tracer.
  package static func saysNotSampled(_ traceparent: String) -> Bool {
    guard isWellFormed(traceparent) else { return false }
    let flags = traceparent.utf8.dropFirst(54).first.flatMap(hexValue) ?? 1
    return flags & 1 == 0
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}

/// How a context stands in a trace whose decision was made elsewhere, for the tracing fast
/// paths (one service-context key: every look at the context costs).
package enum PassedTrace: Sendable {
  /// Inside a trace that is not sampled (a caller's, or a new one a root sampler declined):
  /// calls made here send this `traceparent` (and `tracestate`) as they are, and no span is
  /// recorded.
  case unsampled(traceparent: String, tracestate: String?)
  /// A span started here has a parent whose decision it follows (a root sampler's note).
  case continues
}

private enum PassedTraceKey: ServiceContextKey {
  typealias Value = PassedTrace
  static let nameOverride: String? = "weaver.passed_trace"
}

extension ServiceContext {
  package var passedTrace: PassedTrace? {
    get { self[PassedTraceKey.self] }
    set { self[PassedTraceKey.self] = newValue }
  }
}
