import Foundation
import NIOCore
import NIOPosix
import Synchronization
import WeaverGovernance
import WeaverRPC
import WeaverTelemetry

/// What a process's runtime snapshot is taken from: the servers, clients and rule stores
/// it is told of, its call statistics, its event loops, its breakers, and the process
/// itself. Give it to ``AdminServer`` for `/debug/snapshot`.
///
/// ```swift
/// let sources = RuntimeSnapshotSources(calls: statistics)
/// sources.watch(server, as: "feed")
/// let admin = AdminServer(configuration: .init(port: 9091), registry: registry, snapshot: sources)
/// ```
public final class RuntimeSnapshotSources: Sendable {
  public let calls: CallStatistics
  private let eventLoopGroup: any EventLoopGroup
  private let breakers: BreakerBoard
  private let watched = Mutex<Watched>(Watched())

  private struct Watched {
    var servers: [(String, ThriftServer)] = []
    var clients: [(String, ThriftClient)] = []
    var ruleStores: [RuleStore] = []
  }

  /// `calls` feeds the calls section (give its middleware to your servers and clients);
  /// `eventLoopGroup` is the group whose loops' lag is measured.
  public init(
    calls: CallStatistics = CallStatistics(), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    breakers: BreakerBoard = .shared
  ) {
    self.calls = calls
    self.eventLoopGroup = eventLoopGroup
    self.breakers = breakers
  }

  public func watch(_ server: ThriftServer, as name: String) { watched.withLock { $0.servers.append((name, server)) } }
  public func watch(_ client: ThriftClient, as name: String) { watched.withLock { $0.clients.append((name, client)) } }
  public func watch(_ rules: RuleStore) { watched.withLock { $0.ruleStores.append(rules) } }

  /// Takes the snapshot (event loops that do not answer within `loopTimeout` show as stalled).
  public func take(loopTimeout: Duration = .seconds(1)) async -> RuntimeSnapshot {
    let watched = self.watched.withLock { $0 }
    let lag = await measureLag(timeout: loopTimeout)
    return RuntimeSnapshot(
      takenAt: ISO8601DateFormatter().string(from: Date()),
      process: ProcessFiguresReader.read(),
      eventLoopLagMilliseconds: lag,
      servers: watched.servers.map { name, server in
        .init(name: name, openConnections: server.openConnections, transport: server.transportStatistics.counts)
      },
      clients: watched.clients.map { name, client in
        .init(name: name, openConnections: client.connectionCount, transport: client.transportStatistics.counts)
      },
      calls: calls.figures,
      breakers: breakers.notClosed,
      ruleSets: watched.ruleStores.map { .init(service: $0.service, version: $0.current.generation) })
  }

  /// Each loop's lag: a task is submitted to each at once; how long until it runs.
  private func measureLag(timeout: Duration) async -> [Double?] {
    let loops = Array(eventLoopGroup.makeIterator())
    return await withTaskGroup(of: (Int, Double?).self) { group in
      for (index, loop) in loops.enumerated() {
        group.addTask {
          let submitted = ContinuousClock.now
          let ran = await Self.firstOf(loop.submit { ContinuousClock.now }, orNilAfter: timeout)
          return (index, ran.map { submitted.duration(to: $0).milliseconds })
        }
      }
      var lags = [Double?](repeating: nil, count: loops.count)
      for await (index, lag) in group { lags[index] = lag }
      return lags
    }
  }

  /// The future's value, or nil once `timeout` has passed. (A future's `get()` cannot be
  /// cancelled, so racing it in a task group would still wait for a blocked loop.)
  private static func firstOf<Value: Sendable>(_ future: EventLoopFuture<Value>, orNilAfter timeout: Duration) async -> Value? {
    let answered = AnsweredFlag()
    return await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
      let timer = Task {
        try? await Task.sleep(for: timeout)
        if !answered.value.exchange(true, ordering: .acquiringAndReleasing) { continuation.resume(returning: nil) }
      }
      future.whenComplete { result in
        timer.cancel()
        if !answered.value.exchange(true, ordering: .acquiringAndReleasing) { continuation.resume(returning: try? result.get()) }
      }
    }
  }
}

/// Whether a one-shot continuation was resumed (an `Atomic` cannot be captured by the
/// escaping closures that race to resume it).
private final class AnsweredFlag: Sendable {
  let value = Atomic<Bool>(false)
}

extension Duration {
  var milliseconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
  }
}
