import Synchronization

/// The random numbers governance draws (jitter, fault percentages, P2C choices), from a
/// seedable generator so simulations replay exactly.
public final class GovernanceRandom: Sendable {
  private let generator: Mutex<SplitMix64>

  public init(seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
    generator = Mutex(SplitMix64(seed: seed))
  }

  /// A number in 0..<1.
  public func unit() -> Double {
    generator.withLock { Double($0.next() >> 11) * 0x1.0p-53 }
  }

  /// True with probability `percent`/100.
  public func chance(percent: Double) -> Bool {
    percent >= 100 || (percent > 0 && unit() * 100 < percent)
  }

  /// A new seed for a component that keeps its own generator.
  public func seed() -> UInt64 { generator.withLock { $0.next() } }
}
