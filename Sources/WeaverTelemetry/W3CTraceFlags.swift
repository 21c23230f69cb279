import Tracing

/// Reads the sampled flag of a W3C `traceparent` (`version-traceid-parentid-flags`) without
/// parsing the rest: the server's tracing reads it on every call.
enum W3CTraceFlags {
  static let traceparentKey = "traceparent"

  /// Whether `traceparent` is well formed (as far as its dashes and flags go) and its
  /// `sampled` flag is clear. Anything else (malformed, sampled, an unknown layout) is left
  /// to the tracer.
  static func saysNotSampled(_ traceparent: String) -> Bool {
    var utf8 = traceparent
    return utf8.withUTF8 { bytes in
      // 2 + 1 + 32 + 1 + 16 + 1 + 2: later versions may append fields after a dash.
      guard bytes.count == 55 || (bytes.count > 55 && bytes[55] == UInt8(ascii: "-")) else { return false }
      guard bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-") else { return false }
      guard !(bytes[0] == UInt8(ascii: "f") && bytes[1] == UInt8(ascii: "f")) else { return false }  // version ff is invalid
      guard let low = hexValue(bytes[54]), hexValue(bytes[53]) != nil else { return false }
      return low & 1 == 0
    }
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}

/// Marks a context as inside a call its caller did not sample.
private enum UnsampledCallKey: ServiceContextKey {
  typealias Value = Bool
  static let nameOverride: String? = "weaver.unsampled"
}

extension ServiceContext {
  /// Whether this context is inside a served call whose caller did not sample its trace
  /// (then client calls made in it carry that context on and start no span).
  var inUnsampledCall: Bool {
    get { self[UnsampledCallKey.self] ?? false }
    set { self[UnsampledCallKey.self] = newValue }
  }
}
