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

    let expectedBytes = request.message.utf8.count
    let run = EchoLoadRun(rate: plan.rate, duration: plan.duration, warmup: plan.warmup, timeout: plan.timeout, kind: Self.kind)
    let result = try await run.run(
      lanes.map { lane in
        EchoLoadRun.Lane(workers: lane.workers, executor: lane.executor) {
          let reply = try await lane.echo.echo(req: request)
          if reply.message.utf8.count != expectedBytes { throw EchoReplyMismatch(sent: expectedBytes, received: reply.message.utf8.count) }
        }
      }, progress: progress)
    return ThriftBenchReport(plan: plan, result: result)
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
    let rules = try plan.ruleStore(service: "EchoService")
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
  public static func share(of total: Int, lane: Int, lanes: Int) -> Int {
    total / lanes + (lane < total % lanes ? 1 : 0)
  }

  /// A short name for what went wrong, for the error table.
  static func kind(of error: any Error) -> String {
    switch error {
    case let error as RPCError: error.code.name
    case let error as TApplicationException: "applicationException(\(error.kind))"
    case is EchoReplyMismatch: "wrongReply"
    default: String(describing: type(of: error))
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
