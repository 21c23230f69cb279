/// Duration arithmetic the windows and limiters share.
extension Duration {
  /// Whole nanoseconds, rounded down, saturating at the ends of `Int64`.
  var wholeNanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    var fraction = attoseconds / 1_000_000_000
    if attoseconds < 0 && attoseconds % 1_000_000_000 != 0 { fraction -= 1 }
    let (sum, sumOverflow) = scaled.addingReportingOverflow(fraction)
    if sumOverflow { return seconds < 0 ? .min : .max }
    return sum
  }

  /// The duration in seconds, as a `Double`.
  var inSeconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }

  /// A short form for reasons and logs: `60s`, `250ms`, `1.5s`, `120µs`.
  var brief: String {
    let nanoseconds = wholeNanoseconds
    if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
    if nanoseconds >= 1_000_000_000 { return "\(Percent.format(inSeconds))s" }
    if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
    if nanoseconds % 1_000 == 0 { return "\(nanoseconds / 1_000)µs" }
    return "\(nanoseconds)ns"
  }
}

/// Formats shares and small numbers for human-readable reasons without Foundation.
enum Percent {
  /// `60`, `62.5`, `66.6`: whole numbers as they are, others with one decimal (rounded
  /// down, so a share shown never exceeds the real one).
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let tenths = (value * 10).rounded(.down)
    let whole = Int(tenths / 10)
    let decimal = Int(tenths) - whole * 10
    return decimal == 0 ? "\(whole)" : "\(whole).\(abs(decimal))"
  }
}
