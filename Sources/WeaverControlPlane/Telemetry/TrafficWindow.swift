import Foundation

/// Calls per service and method, and between services, over the last minutes, in 5-second
/// buckets: what the console's traffic page charts. Fed with server spans (each a call
/// served) and client spans (each a call from one service to another); a call counts in the
/// bucket of when it ended. Latency is kept as a log-scale histogram per bucket (bins 25 %
/// wide), so p99 is an upper bound within 25 %.
struct TrafficWindow {
  static let bucketSeconds: Int64 = 5
  static let buckets = 120
  static let bins = 72
  /// The lower edge of bin 0 and the growth from one bin to the next.
  static let firstBinNanos = 10_000.0
  static let binGrowth = 1.25

  struct Bucket {
    var calls = 0
    var errors = 0
    var histogram = [Int](repeating: 0, count: TrafficWindow.bins)
  }

  struct MethodKey: Hashable, Comparable {
    var service: String
    var method: String
    static func < (a: MethodKey, b: MethodKey) -> Bool { (a.service, a.method) < (b.service, b.method) }
  }

  struct EdgeKey: Hashable, Comparable {
    var caller: String
    var callee: String
    static func < (a: EdgeKey, b: EdgeKey) -> Bool { (a.caller, a.callee) < (b.caller, b.callee) }
  }

  private(set) var methods: [MethodKey: [Int64: Bucket]] = [:]
  private(set) var edges: [EdgeKey: [Int64: Bucket]] = [:]
  private var newest: Int64 = 0

  mutating func record(_ span: SpanRecord) {
    let bucket = Int64(span.endNanos / 1_000_000_000) / Self.bucketSeconds
    guard bucket > newest - Int64(Self.buckets) else { return }
    if bucket > newest {
      newest = bucket
      prune()
    }
    switch span.kind {
    case "server":
      let key = MethodKey(service: span.attributes["rpc.service"] ?? span.service, method: span.attributes["rpc.method"] ?? span.name)
      Self.add(span, to: &methods[key, default: [:]][bucket, default: Bucket()])
    case "client":
      guard let callee = Self.callee(of: span), callee != span.service else { return }
      Self.add(span, to: &edges[EdgeKey(caller: span.service, callee: callee), default: [:]][bucket, default: Bucket()])
    default:
      return
    }
  }

  /// Whom a client span called: its RPC service, else its database system (`redis`), else
  /// its peer's `host:port` (the console names addresses it knows).
  static func callee(of span: SpanRecord) -> String? {
    if let service = span.attributes["rpc.service"] { return service }
    if let system = span.attributes["db.system.name"] ?? span.attributes["db.system"] { return system }
    guard let host = span.attributes["server.address"] else { return nil }
    return span.attributes["server.port"].map { "\(host):\($0)" } ?? host
  }

  private static func add(_ span: SpanRecord, to bucket: inout Bucket) {
    bucket.calls += 1
    if span.isError { bucket.errors += 1 }
    bucket.histogram[bin(span.durationNanos)] += 1
  }

  static func bin(_ nanos: UInt64) -> Int {
    guard Double(nanos) > firstBinNanos else { return 0 }
    return min(bins - 1, Int(log(Double(nanos) / firstBinNanos) / log(binGrowth)))
  }

  /// The upper edge of `bin`, in milliseconds.
  static func upperMilliseconds(_ bin: Int) -> Double {
    firstBinNanos * pow(binGrowth, Double(bin + 1)) / 1e6
  }

  private mutating func prune() {
    let oldest = newest - Int64(Self.buckets)
    for key in methods.keys {
      methods[key] = methods[key]?.filter { $0.key > oldest }
      if methods[key]?.isEmpty == true { methods.removeValue(forKey: key) }
    }
    for key in edges.keys {
      edges[key] = edges[key]?.filter { $0.key > oldest }
      if edges[key]?.isEmpty == true { edges.removeValue(forKey: key) }
    }
  }

  // MARK: Reading

  /// One series' figures: per bucket, oldest first, ending at `now`'s bucket.
  struct Series: Sendable {
    var callsPerSecond: [Double]
    var errorRatio: [Double]
    /// nil where a bucket had no calls.
    var p99Milliseconds: [Double?]
    /// Over the last minute.
    var lastMinute: Summary
  }

  struct Summary: Sendable {
    var calls: Int
    var callsPerSecond: Double
    var errorRatio: Double
    var p99Milliseconds: Double?
  }

  func series(_ buckets: [Int64: Bucket], now: Date) -> Series {
    let end = Int64(now.timeIntervalSince1970) / Self.bucketSeconds
    let range = (end - Int64(Self.buckets) + 1)...end
    let ordered = range.map { buckets[$0] ?? Bucket() }
    let minute = Self.merge(ordered.suffix(Int(60 / Self.bucketSeconds)))
    return Series(
      callsPerSecond: ordered.map { Double($0.calls) / Double(Self.bucketSeconds) },
      errorRatio: ordered.map { $0.calls == 0 ? 0 : Double($0.errors) / Double($0.calls) },
      p99Milliseconds: ordered.map { Self.p99($0) },
      lastMinute: Summary(
        calls: minute.calls, callsPerSecond: Double(minute.calls) / 60, errorRatio: minute.calls == 0 ? 0 : Double(minute.errors) / Double(minute.calls),
        p99Milliseconds: Self.p99(minute)))
  }

  static func merge(_ buckets: some Sequence<Bucket>) -> Bucket {
    var total = Bucket()
    for bucket in buckets {
      total.calls += bucket.calls
      total.errors += bucket.errors
      for index in 0..<bins { total.histogram[index] += bucket.histogram[index] }
    }
    return total
  }

  static func p99(_ bucket: Bucket) -> Double? {
    guard bucket.calls > 0 else { return nil }
    let rank = Int((Double(bucket.calls) * 0.99).rounded(.up))
    var seen = 0
    for (index, count) in bucket.histogram.enumerated() {
      seen += count
      if seen >= rank { return upperMilliseconds(index) }
    }
    return upperMilliseconds(bins - 1)
  }
}
