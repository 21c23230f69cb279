/// A time-based sliding window of `bucketCount` buckets of equal width: values are added to
/// the bucket `now` falls in, and a bucket leaves the window (is subtracted from the sum)
/// once time moves `bucketCount` buckets past it. The sum is kept as buckets come and go,
/// so adding and reading are O(1) amortised (a jump of a whole window clears it at once).
///
/// The window covers the current bucket and the `bucketCount - 1` before it: between
/// `window - width` and `window` of history. Time that moves backwards is taken as the
/// newest bucket's time.
struct BucketedWindow<Bucket: AdditiveArithmetic & Sendable>: Sendable {
  let bucketCount: Int
  /// Bucket width in nanoseconds (at least 1).
  let bucketWidth: Int64
  private var buckets: [Bucket]
  private var sum: Bucket = .zero
  /// The index in time (`now / bucketWidth`) of the newest bucket; nil until first use.
  private var newestEpoch: Int64? = nil

  init(window: Duration, buckets: Int) {
    bucketCount = max(1, buckets)
    bucketWidth = max(1, window.wholeNanoseconds / Int64(bucketCount))
    self.buckets = Array(repeating: .zero, count: bucketCount)
  }

  /// Adds `value` to the bucket of `now`.
  mutating func add(_ value: Bucket, now: Duration) {
    let slot = advance(to: now)
    buckets[slot] += value
    sum += value
  }

  /// The sum of the buckets still in the window at `now`.
  mutating func total(now: Duration) -> Bucket {
    _ = advance(to: now)
    return sum
  }

  /// Empties the window.
  mutating func reset() {
    for index in buckets.indices { buckets[index] = .zero }
    sum = .zero
    newestEpoch = nil
  }

  /// Moves the window forward to `now`, dropping buckets that left it; returns the slot of
  /// the bucket `now` falls in.
  private mutating func advance(to now: Duration) -> Int {
    let epoch = Self.floorDivide(now.wholeNanoseconds, bucketWidth)
    guard let newest = newestEpoch else {
      newestEpoch = epoch
      return slot(of: epoch)
    }
    guard epoch > newest else { return slot(of: newest) }
    if epoch - newest >= Int64(bucketCount) {
      for index in buckets.indices { buckets[index] = .zero }
      sum = .zero
    } else {
      var step = newest + 1
      while step <= epoch {
        let expired = slot(of: step)
        sum -= buckets[expired]
        buckets[expired] = .zero
        step += 1
      }
    }
    newestEpoch = epoch
    return slot(of: epoch)
  }

  private func slot(of epoch: Int64) -> Int {
    let count = Int64(bucketCount)
    return Int(((epoch % count) + count) % count)
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
  }
}
