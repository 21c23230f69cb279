import Synchronization

/// When each call of a constant-rate run is meant to start: slot `i` at
/// `start + i / rate`, handed out to workers in order.
///
/// Latency is measured from a call's slot, not from when a worker got round to sending it,
/// so a server that stalls is charged for every call it held back (the correction for
/// coordinated omission that wrk2 and HdrHistogram describe).
final class LoadSchedule: Sendable {
  let start: ContinuousClock.Instant
  let end: ContinuousClock.Instant
  private let interval: Duration
  private let nextSlot = Atomic<Int>(0)

  init(start: ContinuousClock.Instant, end: ContinuousClock.Instant, rate: Int) {
    self.start = start
    self.end = end
    self.interval = .seconds(1) / rate
  }

  /// Slots of the whole run.
  var totalSlots: Int {
    let span = start.duration(to: end)
    return Int((span / interval).rounded(.up))
  }

  /// Slots nobody took (the run gave up on them, being too far behind).
  var untakenSlots: Int {
    max(0, totalSlots - nextSlot.load(ordering: .relaxed))
  }

  /// The next slot's start time, or nil once slots reach the end of the run.
  func next() -> ContinuousClock.Instant? {
    let slot = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue
    let instant = start.advanced(by: interval * slot)
    return instant < end ? instant : nil
  }
}
