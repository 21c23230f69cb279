import NIOCore
import NIOPosix
import WeaverCore
import WeaverGovernance
import WeaverRPC
import WeaverThrift

/// Drives an echo server with the load a ``ThriftBenchPlan`` describes and measures it.
///
/// `concurrency` worker tasks share one ``ThriftClient``. In a closed loop each worker calls
/// again as soon as its call returns; at a constant rate workers take the next scheduled
/// slot from a ``LoadSchedule``, wait for it, and measure from it; slots still untaken a
/// timeout after the end are reported as not sent. Calls during the warm-up run the same
/// way but are not recorded.
public struct ThriftLoadGenerator: Sendable {
  public let plan: ThriftBenchPlan
  private let group: any EventLoopGroup

  public init(plan: ThriftBenchPlan, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
    self.plan = plan
    self.group = eventLoopGroup
  }

  /// Runs the plan; `progress` is called about once a second with calls finished so far.
  public func run(progress: (@Sendable (ThriftBenchProgress) -> Void)? = nil) async throws -> ThriftBenchReport {
    try plan.validate()
    let lanes = try Self.lanes(for: plan, eventLoops: Array(group.makeIterator()))
    defer { for lane in lanes { lane.client.close() } }
    let request = EchoRequest(message: String(repeating: "x", count: plan.payload))

    // One call first: a server that is not there fails the run at once, clearly.
    do {
      _ = try await lanes[0].echo.echo(req: request)
    } catch {
      throw ThriftBenchError("cannot call \(plan.target) over \(plan.transport) + \(plan.protocol): \(error)")
    }

    let recorder = LatencyRecorder()
    let start = ContinuousClock.now
    let measureFrom = start.advanced(by: plan.warmup)
    let end = measureFrom.advanced(by: plan.duration)
    let schedule = plan.rate.map { LoadSchedule(start: start, end: end, rate: $0) }

    try await withThrowingTaskGroup(of: Void.self) { group in
      for lane in lanes {
        for _ in 0..<lane.workers {
          group.addTask(executorPreference: lane.executor) {
            await Self.work(
              echo: lane.echo, request: request, schedule: schedule, measureFrom: measureFrom, end: end,
              giveUpAt: end.advanced(by: plan.timeout), recorder: recorder)
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
    return ThriftBenchReport(plan: plan, seconds: measured.seconds, histogram: histogram, errors: errors, examples: examples)
  }

  /// One client per event loop, with its share of the connections and workers; its workers
  /// run on that event loop, so a call never leaves its thread.
  private struct Lane: Sendable {
    var client: ThriftClient
    var echo: EchoService.Client<ThriftClient>
    var executor: EventLoopTaskExecutor
    var workers: Int
  }

  private static func lanes(for plan: ThriftBenchPlan, eventLoops: [any EventLoop]) throws -> [Lane] {
    let count = max(1, min(eventLoops.count, plan.connections, plan.concurrency))
    let rules = try plan.rules.map { document in
      let store = RuleStore(service: "EchoService")
      do {
        try store.set(document, layer: .file)
      } catch {
        throw ThriftBenchError("the rules do not apply: \(error)")
      }
      return store
    }
    return try (0..<count).map { index in
      let connections = share(of: plan.connections, lane: index, lanes: count)
      let workers = share(of: plan.concurrency, lane: index, lanes: count)
      var configuration = plan.clientConfiguration
      configuration.maxConnectionsPerInstance = connections
      configuration.maxConcurrentCallsPerConnection = max(1, (workers + connections - 1) / connections)
      let loop = eventLoops[index]
      let client = try ThriftClient(
        addresses: plan.targets, configuration: configuration, governance: rules.map { ClientGovernor(rules: $0) }, eventLoopGroup: loop)
      return Lane(client: client, echo: EchoService.Client(channel: client), executor: EventLoopTaskExecutor(loop), workers: workers)
    }
  }

  /// Lane `lane`'s share of `total`, spread as evenly as possible.
  private static func share(of total: Int, lane: Int, lanes: Int) -> Int {
    total / lanes + (lane < total % lanes ? 1 : 0)
  }

  private static func work(
    echo: EchoService.Client<ThriftClient>, request: EchoRequest, schedule: LoadSchedule?,
    measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant, giveUpAt: ContinuousClock.Instant,
    recorder: LatencyRecorder
  ) async {
    var samples = WorkerSamples()
    let expectedBytes = request.message.utf8.count
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
        let reply = try await echo.echo(req: request)
        failure = reply.message.utf8.count == expectedBytes ? nil : ("wrongReply", "\(reply.message.utf8.count) bytes came back")
      } catch {
        failure = (Self.kind(of: error), "\(error)")
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

  /// A short name for what went wrong, for the error table.
  static func kind(of error: any Error) -> String {
    switch error {
    case let error as RPCError: error.code.name
    case let error as TApplicationException: "applicationException(\(error.kind))"
    default: String(describing: type(of: error))
    }
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

/// A moment in a running benchmark, for the progress line.
public struct ThriftBenchProgress: Sendable {
  public var elapsed: Duration
  public var total: Duration
  public var warmingUp: Bool
  /// Calls answered correctly so far.
  public var succeeded: Int
  /// Calls that failed so far.
  public var failed: Int
  /// Successful calls per second over the last interval.
  public var currentQPS: Double
  /// Failed calls per second over the last interval.
  public var currentErrorsPerSecond: Double

  public var line: String {
    let phase = warmingUp ? "warm-up" : "measuring"
    var line = "[\(Int(elapsed.seconds.rounded()))/\(Int(total.seconds.rounded())) s \(phase)] \(succeeded) calls, \(Int(currentQPS)) QPS"
    if failed > 0 { line += "; errors: \(failed) (\(Int(currentErrorsPerSecond))/s)" }
    return line
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
