import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `weaver bench control-plane`: what one `weaver server` sustains. Registers many
/// ephemeral instances, heartbeats each at its interval while querying the registry, then
/// publishes one config release to many waiting watchers; reports rates, latencies, and
/// (with `--server-pid`, same machine) the server's CPU and memory.
struct BenchControlPlaneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "control-plane",
    abstract: "Load a weaver server: registrations, heartbeats with registry queries, a publish to many watchers.")

  @Option(help: "The server's URL.") var server: String = "http://127.0.0.1:8500"
  @Option(help: "Ephemeral instances to register and keep alive.") var instances: Int = 10_000
  @Option(help: "Instances per service.") var perService: Int = 100
  @Option(help: "Each instance heartbeats this often.") var heartbeatInterval: DurationArgument = DurationArgument(argument: "5s")!
  @Option(help: "How long the heartbeat phase runs.") var duration: DurationArgument = DurationArgument(argument: "30s")!
  @Option(help: "HTTP connections for heartbeats and queries.") var connections: Int = 32
  @Option(help: "Watchers waiting on one namespace when it is published.") var watchers: Int = 1_000
  @Option(help: "The server's process id, to read its CPU time and memory from /proc.") var serverPid: Int32?
  @Option(help: "Instances' TTL in seconds (removed after twice that); long enough that registering them all takes less.")
  var ttlSeconds: Int = 120
  @Flag(help: "Print the report as JSON.") var json = false

  struct Report: Codable {
    var instances: Int
    var registrationsPerSecond: Double
    var heartbeatsPerSecondTarget: Double
    var heartbeatsPerSecond: Double
    var heartbeatP50Millis: Double
    var heartbeatP99Millis: Double
    var heartbeatErrors: Int
    var queriesPerSecond: Double
    var queryP50Millis: Double
    var queryP99Millis: Double
    var serverCPUPercentDuringHeartbeats: Double?
    var serverRSSMiB: Double?
    var watchers: Int
    var publishToWatcherP50Millis: Double
    var publishToWatcherP99Millis: Double
    var publishToWatcherMaxMillis: Double
    var watchersMissed: Int
  }

  func run() async throws {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections + watchers)
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
    let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    do {
      let report = try await measure(http)
      try await http.shutdown()
      print(report)
    } catch {
      try? await http.shutdown()
      throw error
    }
  }

  private func print(_ report: Report) {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      Swift.print(String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self))
      return
    }
    Swift.print("""
      instances            \(report.instances) (registered at \(report.registrationsPerSecond.rounded()) /s)
      heartbeats           \(report.heartbeatsPerSecond.rounded()) /s of \(report.heartbeatsPerSecondTarget.rounded()) /s target; \
      p50 \(report.heartbeatP50Millis) ms, p99 \(report.heartbeatP99Millis) ms, \(report.heartbeatErrors) errors
      registry queries     \(report.queriesPerSecond.rounded()) /s alongside; p50 \(report.queryP50Millis) ms, p99 \(report.queryP99Millis) ms
      server               CPU \(report.serverCPUPercentDuringHeartbeats.map { "\($0.rounded()) %" } ?? "-") during heartbeats, \
      RSS \(report.serverRSSMiB.map { "\($0.rounded()) MiB" } ?? "-")
      publish → watchers   \(report.watchers) watchers: p50 \(report.publishToWatcherP50Millis) ms, p99 \(report.publishToWatcherP99Millis) ms, \
      max \(report.publishToWatcherMaxMillis) ms, \(report.watchersMissed) missed
      """)
  }

  private func measure(_ http: HTTPClient) async throws -> Report {
    let ids = (0..<instances).map { index in (service: "bench-\(index / perService)", port: 10_000 + index % 50_000, host: "10.\(index / 65_536 % 256).\(index / 256 % 256).\(index % 256)") }
    // 1. Register.
    let registrationStart = ContinuousClock.now
    try await forEach(Array(ids.indices), concurrency: connections) { index in
      let id = ids[index]
      _ = try await self.send(http, .POST, "/v1/services/\(id.service)/instances",
        body: #"{"host":"\#(id.host)","port":\#(id.port),"ttlSeconds":\#(self.ttlSeconds),"removeAfterSeconds":\#(self.ttlSeconds * 2)}"#)
    }
    let registrationRate = Double(instances) / (ContinuousClock.now - registrationStart).seconds

    // 2. Heartbeats at their rate, queries alongside.
    let rate = Double(instances) / heartbeatInterval.duration.seconds
    let heartbeatLatencies = Latencies()
    let queryLatencies = Latencies()
    let cpuBefore = serverPid.flatMap(Self.cpuSeconds)
    let start = ContinuousClock.now
    let end = start + duration.duration
    let next = BenchCounter()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<connections {
        group.addTask {
          while true {
            let number = next.take()
            let due = start + .seconds(Double(number) / rate)
            guard due < end else { return }
            if due > .now { try await Task.sleep(until: due, clock: .continuous) }
            let id = ids[number % ids.count]
            let began = ContinuousClock.now
            let status = try? await self.send(http, .PUT, "/v1/services/\(id.service)/instances/\(id.host):\(id.port)/heartbeat")
            heartbeatLatencies.add(ContinuousClock.now - began, failed: status != 204)
          }
        }
      }
      group.addTask {
        var number = 0
        while ContinuousClock.now < end {
          let began = ContinuousClock.now
          let status = try? await self.send(http, .GET, "/v1/services/bench-\(number % max(1, self.instances / self.perService))/instances?healthy=true")
          queryLatencies.add(ContinuousClock.now - began, failed: status != 200)
          number += 1
          try await Task.sleep(for: .milliseconds(10))
        }
      }
      try await group.waitForAll()
    }
    let elapsed = (ContinuousClock.now - start).seconds
    let cpuAfter = serverPid.flatMap(Self.cpuSeconds)
    let rss = serverPid.flatMap(Self.rssMiB)

    // 3. One publish, many watchers.
    let namespace = "/v1/config/bench/default/watched"
    _ = try await send(http, .PUT, namespace, body: #"{"content":"round=0"}"#)
    _ = try await send(http, .POST, namespace + "/publish", body: #"{"author":"bench"}"#)
    let index = try await indexOf(http, namespace)
    let arrivals = Latencies()
    let published = BenchMoment()
    let waiting = BenchCounter()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<watchers {
        group.addTask {
          _ = waiting.take()
          let status = try? await self.send(http, .GET, "\(namespace)?index=\(index)&wait=60s")
          let at = published.value.withLock { $0 }
          arrivals.add(at.map { ContinuousClock.now - $0 } ?? .zero, failed: status != 200 || at == nil)
        }
      }
      group.addTask {
        while waiting.count < self.watchers { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .seconds(1))  // every watcher's request is at the server
        _ = try await self.send(http, .PUT, namespace, body: #"{"content":"round=1"}"#)
        published.value.withLock { $0 = .now }
        _ = try await self.send(http, .POST, namespace + "/publish", body: #"{"author":"bench"}"#)
      }
      try await group.waitForAll()
    }

    let heartbeats = heartbeatLatencies.snapshot()
    let queries = queryLatencies.snapshot()
    let watched = arrivals.snapshot()
    return Report(
      instances: instances, registrationsPerSecond: registrationRate, heartbeatsPerSecondTarget: rate,
      heartbeatsPerSecond: Double(heartbeats.count) / elapsed, heartbeatP50Millis: heartbeats.percentile(50),
      heartbeatP99Millis: heartbeats.percentile(99), heartbeatErrors: heartbeats.failures,
      queriesPerSecond: Double(queries.count) / elapsed, queryP50Millis: queries.percentile(50), queryP99Millis: queries.percentile(99),
      serverCPUPercentDuringHeartbeats: cpuBefore.flatMap { before in cpuAfter.map { ($0 - before) / elapsed * 100 } },
      serverRSSMiB: rss, watchers: watchers, publishToWatcherP50Millis: watched.percentile(50),
      publishToWatcherP99Millis: watched.percentile(99), publishToWatcherMaxMillis: watched.percentile(100), watchersMissed: watched.failures)
  }

  /// Runs `body` for every element, `concurrency` at a time.
  private func forEach<T: Sendable>(_ items: [T], concurrency: Int, _ body: @escaping @Sendable (T) async throws -> Void) async throws {
    let next = BenchCounter()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          while true {
            let index = next.take()
            guard index < items.count else { return }
            try await body(items[index])
          }
        }
      }
      try await group.waitForAll()
    }
  }

  private func send(_ http: HTTPClient, _ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> UInt {
    var request = HTTPClientRequest(url: server + path)
    request.method = method
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await http.execute(request, timeout: .seconds(120))
    _ = try await response.body.collect(upTo: 64 << 20)
    return response.status.code
  }

  private func indexOf(_ http: HTTPClient, _ path: String) async throws -> Int64 {
    var request = HTTPClientRequest(url: server + path)
    request.method = .GET
    let response = try await http.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 20)
    let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
    return (object?["index"] as? NSNumber)?.int64Value ?? 0
  }

  static func cpuSeconds(_ pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  static func rssMiB(_ pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
  }
}

/// Latencies from many tasks, and failures.
final class Latencies: Sendable {
  struct Snapshot {
    var sorted: [Double]
    var failures: Int
    var count: Int { sorted.count }

    /// The percentile in milliseconds (0 when empty), rounded to 0.01.
    func percentile(_ p: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
      return (sorted[max(0, index)] * 100).rounded() / 100
    }
  }

  private let state = Mutex<(values: [Double], failures: Int)>(([], 0))

  func add(_ latency: Duration, failed: Bool) {
    state.withLock { state in
      if failed { state.failures += 1 } else { state.values.append(latency.seconds * 1000) }
    }
  }

  func snapshot() -> Snapshot {
    state.withLock { Snapshot(sorted: $0.values.sorted(), failures: $0.failures) }
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// A counter tasks share: each `take` returns the next number.
final class BenchCounter: Sendable {
  private let value = Atomic<Int>(0)

  func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
  var count: Int { value.load(ordering: .relaxed) }
}

/// A moment one task sets and others read.
final class BenchMoment: Sendable {
  let value = Mutex<ContinuousClock.Instant?>(nil)
}
