/// Call durations in log-linear buckets (8 per power of two: within 12.5 % of the true
/// value), from 1 µs to hours, for quantiles in a runtime snapshot. A value type of fixed
/// size: recording is an index computation and an increment.
struct LatencyHistogram: Sendable {
  private static let subBuckets = 8
  private static let subBucketBits = 3
  private var counts = [Int](repeating: 0, count: 40 * 8)
  private(set) var total = 0

  mutating func record(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    let micros = max(1, Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
    counts[min(counts.count - 1, Self.index(of: micros))] += 1
    total += 1
  }

  mutating func add(_ other: LatencyHistogram) {
    for index in counts.indices { counts[index] += other.counts[index] }
    total += other.total
  }

  /// The smallest bucket bound at or under which `quantile` (0…1) of the values fall, in
  /// microseconds; nil when empty.
  func quantile(_ quantile: Double) -> Int? {
    guard total > 0 else { return nil }
    let rank = max(1, Int((quantile * Double(total)).rounded(.up)))
    var seen = 0
    for (index, count) in counts.enumerated() {
      seen += count
      if seen >= rank { return Self.upperBound(of: index) }
    }
    return Self.upperBound(of: counts.count - 1)
  }

  static func index(of micros: Int) -> Int {
    let exponent = Int.bitWidth - 1 - micros.leadingZeroBitCount
    let mantissa =
      exponent >= subBucketBits ? (micros >> (exponent - subBucketBits)) & (subBuckets - 1) : (micros << (subBucketBits - exponent)) & (subBuckets - 1)
    return exponent * subBuckets + mantissa
  }

  static func upperBound(of index: Int) -> Int {
    let exponent = index / subBuckets
    let mantissa = index % subBuckets
    return ((subBuckets + mantissa + 1) << exponent) >> subBucketBits
  }
}
