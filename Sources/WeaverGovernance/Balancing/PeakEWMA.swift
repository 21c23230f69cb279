import WeaverCore

/// One instance's latency estimate for ``PeakEWMABalancer`` (Finagle's and linkerd's peak
/// EWMA): it jumps to a slower sample at once and decays toward faster ones with weight
/// `w = exp(-Δt/τ)`. Costs are in nanoseconds.
struct PeakEWMA: Sendable {
  /// Load of an instance that has calls in flight but no measured latency yet: large, so a
  /// new instance takes one probe at a time until it has a latency (Finagle's penalty,
  /// `Long.MaxValue >> 16` ns).
  static let unmeasuredPenalty: Double = Double(Int64.max >> 16)

  /// The estimate in nanoseconds as of `stamp`; meaningful once `measured`.
  private(set) var cost: Double = 0
  private(set) var stamp: Duration = .zero
  private(set) var measured = false
  /// Calls in flight.
  var pending = 0

  /// The estimate at `now`: it fades toward 0 while no sample arrives, so an instance that
  /// was slow once is tried again after a while instead of being shunned forever.
  func cost(at now: Duration, tau: Duration) -> Double {
    cost * Self.weight(elapsed: now - stamp, tau: tau)
  }

  /// cost × (pending + 1) at `now`. An unmeasured instance costs 0 while idle (it gets a
  /// first probe) and the penalty while a probe is in flight.
  func load(at now: Duration, tau: Duration) -> Double {
    guard measured else { return pending == 0 ? 0 : Self.unmeasuredPenalty + Double(pending) }
    return cost(at: now, tau: tau) * Double(pending + 1)
  }

  /// Folds in a latency sample taken at `now`: a sample above the estimate replaces it
  /// (the peak), a lower one pulls it down by `1 - exp(-Δt/τ)`.
  mutating func observe(_ sample: Double, at now: Duration, tau: Duration) {
    if !measured || sample >= cost {
      cost = sample
    } else {
      let w = Self.weight(elapsed: now - stamp, tau: tau)
      cost = cost * w + sample * (1 - w)
    }
    measured = true
    stamp = max(stamp, now)
  }

  /// `exp(-Δt/τ)`, with a negative Δt (a clock read out of order) counted as 0 and τ ≤ 0
  /// meaning no memory at all.
  static func weight(elapsed: Duration, tau: Duration) -> Double {
    guard tau > .zero else { return 0 }
    let dt = max(elapsed, .zero)
    return exponential(-nanoseconds(dt) / nanoseconds(tau))
  }
}

extension PeakEWMA {
  /// `duration` in nanoseconds, as a `Double`.
  static func nanoseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
  }
}

extension PeakEWMA {
  /// e^x without Foundation (this module may not import it): x = k·ln 2 + r with
  /// |r| ≤ ln 2 / 2, e^r by its Taylor series, then scaled by 2^k. Accurate to a few ulps,
  /// which is plenty for a decay weight.
  static func exponential(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x > 709.78 { return .infinity }
    if x < -745.2 { return 0 }
    let ln2Hi = 6.931_471_803_691_238_164_90e-01
    let ln2Lo = 1.908_214_929_270_587_700_02e-10
    let k = (x / (ln2Hi + ln2Lo)).rounded()
    let r = (x - k * ln2Hi) - k * ln2Lo
    var term = 1.0
    var sum = 1.0
    for n in 1...18 {
      term *= r / Double(n)
      sum += term
    }
    return Double(sign: .plus, exponent: Int(k), significand: sum)
  }
}
