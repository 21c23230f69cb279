extension Double {
  /// The value rounded to `decimals` digits after the point, written out (`12.35`, `1234`),
  /// as `String(format: "%.2f")` writes it but without needing all of Foundation.
  func fixed(decimals: Int) -> String {
    guard isFinite else { return "\(self)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(self) * scale).rounded()
    guard scaled < 1e18 else { return "\(self)" }
    let units = UInt64(scaled)
    let whole = units / UInt64(scale)
    let sign = self < 0 && units > 0 ? "-" : ""
    guard decimals > 0 else { return "\(sign)\(whole)" }
    let fraction = String(units % UInt64(scale))
    return "\(sign)\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
  }
}
