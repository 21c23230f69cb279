import Histogram

/// The protocol-free part of every echo benchmark (`weaver bench thrift|grpc|http`):
/// workers calling in a closed loop or on a constant-rate schedule, the warm-up, the
/// latency record and the progress line. A protocol brings only its call.
public struct EchoLoadRun: Sendable {
  /// One group of workers sharing a client (a lane runs on one executor when given).
  public struct Lane: Sendable {
    /// One echo call; throws when it fails or the reply is wrong (`EchoReplyMismatch`).
    public var call: @Sendable () async throws -> Void
    public var executor: (any TaskExecutor)?
    public var workers: Int

    public init(workers: Int, executor: (any TaskExecutor)? = nil, call: @escaping @Sendable () async throws -> Void) {
      self.call = call
      self.executor = executor
      self.workers = workers
    }
  }

  /// What a run measured.
  public struct Result: Sendable {
    public var seconds: Double
    public var histogram: Histogram<UInt64>
    public var errors: [String: Int]
    public var examples: [String: String]
  }

  public var rate: Int?
  public var duration: Duration
  public var warmup: Duration
  public var timeout: Duration
  /// A short name for a failure, for the error table.
  public var kind: @Sendable (any Error) -> String

  public init(rate: Int?, duration: Duration, warmup: Duration, timeout: Duration, kind: @escaping @Sendable (any Error) -> String) {
    self.rate = rate
    self.duration = duration
    self.warmup = warmup
    self.timeout = timeout
    self.kind = kind
  }

  /// Runs the lanes' workers; `progress` is called about once a second.
  public func run(_ lanes: [Lane], progress: (@Sendable (ThriftBenchProgress) -> Void)? = nil) async throws -> Result {
    let recorder = LatencyRecorder()
    let start = ContinuousClock.now
    let measureFrom = start.advanced(by: warmup)
    let end = measureFrom.advanced(by: duration)
    let schedule = rate.map { LoadSchedule(start: start, end: end, rate: $0) }
    let giveUpAt = end.advanced(by: timeout)
    let kind = self.kind

    try await withThrowingTaskGroup(of: Void.self) { group in
      for lane in lanes {
        for _ in 0..<lane.workers {
          group.addTask(executorPreference: lane.executor) {
            await Self.work(
              call: lane.call, kind: kind, schedule: schedule, measureFrom: measureFrom, end: end, giveUpAt: giveUpAt, recorder: recorder)
          }
        }
      }
      if let progress {
        group.addTask {
          await Self.reportProgress(progress, recorder: recorder, start: start, measureFrom: measureFrom, end: end)
        }
      }
      try await group.waitForAll()
    }
    var (histogram, errors, examples) = recorder.snapshot
    if let untaken = schedule?.untakenSlots, untaken > 0 { errors["notSentServerTooSlow"] = untaken }
    let measured = measureFrom.duration(to: min(ContinuousClock.now, end))
    return Result(seconds: measured.seconds, histogram: histogram, errors: errors, examples: examples)
  }

  private static func work(
    call: @Sendable () async throws -> Void, kind: @Sendable (any Error) -> String, schedule: LoadSchedule?,
    measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant, giveUpAt: ContinuousClock.Instant, recorder: LatencyRecorder
  ) async {
    var samples = WorkerSamples()
    while !Task.isCancelled {
      let started: ContinuousClock.Instant
      if let schedule {
        // So far behind that the rest would only measure the backlog: stop.
        guard ContinuousClock.now < giveUpAt, let slot = schedule.next() else { break }
        // Sleeping costs more than it saves for slots this close.
        if ContinuousClock.now < slot.advanced(by: .microseconds(-50)) {
          try? await Task.sleep(until: slot, tolerance: .microseconds(50), clock: .continuous)
        }
        started = slot
      } else {
        started = .now
        guard started < end else { break }
      }
      let failure: (kind: String, message: String)?
      do {
        try await call()
        failure = nil
      } catch {
        failure = (kind(error), "\(error)")
      }
      let finished = ContinuousClock.now
      samples.count(failed: failure != nil)
      // A call that fails fast (an instance backing off) returns without suspending: give
      // the event loop back, or this worker would keep it from the I/O (a reconnect, say).
      if failure != nil { await Task.yield() }
      if samples.uncountedCalls >= WorkerSamples.countBatch { recorder.publishCounts(&samples) }
      guard started >= measureFrom, finished <= end || schedule != nil else { continue }
      if let failure { samples.recordFailure(failure.kind, message: failure.message) } else { samples.record(started.duration(to: finished)) }
      if samples.isFull { recorder.merge(&samples) }
    }
    recorder.merge(&samples)
  }

  private static func reportProgress(
    _ progress: @Sendable (ThriftBenchProgress) -> Void, recorder: LatencyRecorder,
    start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant
  ) async {
    var previous = (instant: start, succeeded: 0, failed: 0)
    while ContinuousClock.now < end {
      try? await Task.sleep(for: .seconds(1))
      if Task.isCancelled { return }
      let now = ContinuousClock.now
      let failed = recorder.failed.load(ordering: .relaxed)
      let succeeded = recorder.completed.load(ordering: .relaxed) - failed
      let seconds = previous.instant.duration(to: now).seconds
      progress(ThriftBenchProgress(
        elapsed: start.duration(to: now), total: start.duration(to: end), warmingUp: now < measureFrom,
        succeeded: succeeded, failed: failed, currentQPS: Double(succeeded - previous.succeeded) / seconds,
        currentErrorsPerSecond: Double(failed - previous.failed) / seconds))
      previous = (now, succeeded, failed)
    }
  }
}

/// An echo reply that did not carry the message sent.
public struct EchoReplyMismatch: Error, CustomStringConvertible {
  public let sent: Int
  public let received: Int

  public init(sent: Int, received: Int) {
    self.sent = sent
    self.received = received
  }

  public var description: String { "\(received) bytes came back for \(sent)" }
}
