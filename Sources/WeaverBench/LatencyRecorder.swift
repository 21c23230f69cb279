import Histogram
import Synchronization

/// Collects every worker's latencies into one HdrHistogram (microseconds, 3 significant
/// digits) and counts failures by kind.
///
/// Workers batch samples locally (``WorkerSamples``) and merge them under the lock a batch
/// at a time, so recording costs no lock per call.
final class LatencyRecorder: Sendable {
  /// Latencies above this are recorded as this (one minute, in microseconds).
  static let highestTrackable: UInt64 = 60_000_000

  private struct Totals {
    var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: LatencyRecorder.highestTrackable, numberOfSignificantValueDigits: .three)
    var errors: [String: Int] = [:]
    var examples: [String: String] = [:]
  }

  private let totals = Mutex(Totals())
  /// Calls finished so far, measured or not, for the progress line (published by workers a
  /// batch at a time, so they share no counter per call).
  let completed = Atomic<Int>(0)
  let failed = Atomic<Int>(0)

  func publishCounts(_ samples: inout WorkerSamples) {
    completed.wrappingAdd(samples.uncountedCalls, ordering: .relaxed)
    failed.wrappingAdd(samples.uncountedFailures, ordering: .relaxed)
    samples.uncountedCalls = 0
    samples.uncountedFailures = 0
  }

  func merge(_ samples: inout WorkerSamples) {
    publishCounts(&samples)
    totals.withLock { totals in
      for value in samples.latencies { _ = totals.histogram.record(min(value, Self.highestTrackable)) }
      for (kind, count) in samples.errors { totals.errors[kind, default: 0] += count }
      totals.examples.merge(samples.examples) { first, _ in first }
    }
    samples.latencies.removeAll(keepingCapacity: true)
    samples.errors.removeAll(keepingCapacity: true)
  }

  var snapshot: (histogram: Histogram<UInt64>, errors: [String: Int], examples: [String: String]) {
    totals.withLock { ($0.histogram, $0.errors, $0.examples) }
  }
}

/// One worker's samples since its last merge.
struct WorkerSamples {
  static let batchSize = 512
  /// Calls counted locally before they are added to the shared progress counters.
  static let countBatch = 64

  var latencies: [UInt64] = []
  var errors: [String: Int] = [:]
  /// The first message of each kind of failure.
  var examples: [String: String] = [:]
  var uncountedCalls = 0
  var uncountedFailures = 0

  init() {
    latencies.reserveCapacity(Self.batchSize)
  }

  var isFull: Bool { latencies.count >= Self.batchSize }

  mutating func record(_ latency: Duration) {
    let (seconds, attoseconds) = latency.components
    let micros = max(0, seconds) * 1_000_000 + attoseconds / 1_000_000_000_000
    latencies.append(UInt64(max(1, micros)))
  }

  mutating func count(failed: Bool) {
    uncountedCalls += 1
    if failed { uncountedFailures += 1 }
  }

  mutating func recordFailure(_ kind: String, message: String) {
    errors[kind, default: 0] += 1
    if examples[kind] == nil { examples[kind] = message }
  }
}
