import WeaverCore

extension Array where Element == Instance {
  /// The candidates that take traffic: those with a positive weight, or all of them when
  /// every weight is 0 (then they share equally rather than nobody being picked).
  var takingTraffic: [Instance] {
    let weighted = filter { $0.weight > 0 }
    return weighted.isEmpty ? self : weighted
  }
}
