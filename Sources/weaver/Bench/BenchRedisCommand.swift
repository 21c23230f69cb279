import ArgumentParser
import Foundation
import NIOPosix
import WeaverRPC
import WeaverBench
import WeaverRedis

/// `weaver bench redis`: SET/GET load on a Redis Cluster (or one server) through
/// WeaverRedis, shaped like `redis-benchmark --cluster -t set,get -c C -P P -r N -d D`.
struct BenchRedisCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "redis",
    abstract: "Drive a Redis Cluster (or one server) with SET and GET through WeaverRedis and report commands per second and latency.",
    discussion: """
      Like `redis-benchmark --cluster -t set,get -c C -P P -r N -d D`: --clients workers each \
      send --pipeline commands of random keys and wait for all replies before the next batch; \
      tests run one after another. A batch is one call in the report (latency is per batch); \
      commands per second are calls × pipeline. On a cluster, as with \
      `redis-benchmark --cluster`, each worker keeps to one primary and each batch to one of \
      its slots, named by a hash tag (key:{3Xb}:000000012345). Failures are counted by kind and the run goes \
      on (through a failover, say). Example:
        weaver bench redis --cluster 127.0.0.1:7000 --clients 50 --pipeline 16 --duration 10s
      """
  )

  @Option(help: ArgumentHelp("A node of the cluster to learn its topology from.", valueName: "host:port"))
  var cluster: String?

  @Option(help: ArgumentHelp("A standalone server, instead of a cluster.", valueName: "host:port"))
  var server: String?

  @Option(help: "Workers, each with a batch in flight at a time (redis-benchmark -c).")
  var clients: Int = 50

  @Option(help: "Commands per batch (redis-benchmark -P).")
  var pipeline: Int = 1

  @Option(help: "How long to measure each test: 10s, 500ms, 1m.")
  var duration: DurationArgument = DurationArgument(argument: "10s")!

  @Option(help: "How long to run each test before measuring.")
  var warmup: DurationArgument = DurationArgument(argument: "1s")!

  @Option(help: "Tests to run, in order: set, get.")
  var tests: String = "set,get"

  @Option(help: "Bytes in each SET value (redis-benchmark -d).")
  var dataSize: Int = 3

  @Option(help: "Keys are drawn at random from this many (redis-benchmark -r).")
  var keyspace: Int = 100_000

  @Option(help: "Connections per node at most, over all event loops (default: --clients).")
  var poolSize: Int?

  @Flag(help: "Print the report as JSON on standard output (progress still goes to standard error).")
  var json = false

  @Flag(help: "No progress line.")
  var quiet = false

  private var testList: [String] {
    tests.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
  }

  func validate() throws {
    guard (cluster == nil) != (server == nil) else { throw ValidationError("give one of --cluster host:port or --server host:port") }
    guard RedisNodeAddress((cluster ?? server)!) != nil else {
      throw ValidationError("'\((cluster ?? server)!)' is not host:port")
    }
    guard clients >= 1 else { throw ValidationError("--clients must be at least 1") }
    guard pipeline >= 1 else { throw ValidationError("--pipeline must be at least 1") }
    guard dataSize >= 0, dataSize <= 512 * 1024 * 1024 else { throw ValidationError("--data-size must be 0…512 MiB") }
    guard keyspace >= 1, keyspace <= 100_000_000 else { throw ValidationError("--keyspace must be 1…100000000") }
    if let poolSize, poolSize < 1 { throw ValidationError("--pool-size must be at least 1") }
    let unknown = testList.filter { $0 != "set" && $0 != "get" }
    guard testList.count > 0, unknown.isEmpty else {
      throw ValidationError("--tests takes set and get, comma-separated; not \(unknown.joined(separator: ", "))")
    }
  }

  func run() async throws {
    let address = RedisNodeAddress((cluster ?? server)!)!
    // One lane per event loop, each with its own client on that loop (see RedisLoadGenerator).
    let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
    let laneCount = max(1, min(loops.count, clients))
    var lanes: [RedisLoadGenerator.Lane] = []
    var shutdowns: [() -> Void] = []
    defer { for shutdown in shutdowns { shutdown() } }
    var keys = RedisBenchKeys(keyspace: keyspace)
    for (index, loop) in loops.prefix(laneCount).enumerated() {
      var configuration = RedisClientConfiguration()
      let laneWorkers = ThriftLoadGenerator.share(of: clients, lane: index, lanes: laneCount)
      configuration.pool.poolSize = poolSize.map { max(1, $0 / laneCount) } ?? laneWorkers
      let client: any RedisCommandExecuting
      if cluster != nil {
        let clusterClient = RedisClusterClient(seeds: [address], configuration: configuration, group: loop)
        shutdowns.append(clusterClient.shutdown)
        let topology: ClusterTopology
        do {
          topology = try await clusterClient.topology()
        } catch {
          throw CommandFailure(description: "\(error)\nStart a cluster, or use --server for a standalone redis-server.")
        }
        if index == 0 { keys = RedisBenchKeys(keyspace: keyspace, topology: topology) }
        client = clusterClient
      } else {
        let standalone = RedisClient(node: address, configuration: configuration, group: loop)
        shutdowns.append(standalone.shutdown)
        do {
          _ = try await standalone.ping()
        } catch {
          throw CommandFailure(description: "\(error)\nStart one with: redis-server --port \(address.port)")
        }
        client = standalone
      }
      lanes.append(RedisLoadGenerator.Lane(client: client, executor: EventLoopTaskExecutor(loop)))
    }
    let generator = RedisLoadGenerator(
      lanes: lanes, clients: clients, pipeline: pipeline, keys: keys, dataSize: dataSize, duration: duration.duration,
      warmup: warmup.duration)
    let progress = ProgressLine()
    var reports: [String: ThriftBenchReport] = [:]
    var texts: [String] = []
    for test in testList {
      let show: @Sendable (ThriftBenchProgress) -> Void = { update in progress.show("\(test.uppercased()) " + update.line) }
      let report = try await generator.run(test: test, target: address.description, progress: quiet ? nil : show)
      progress.finish()
      reports[test] = report
      texts.append(
        "== \(test.uppercased()) ==\n\(report.text)\ncommands    \(String(format: "%.0f", report.qps * Double(pipeline))) per second (pipeline \(pipeline))")
    }
    if json {
      let summary = RedisBenchSummary(
        mode: cluster != nil ? "cluster" : "standalone", clients: clients, pipeline: pipeline, dataSize: dataSize, keyspace: keyspace,
        tests: reports, commandsPerSecond: reports.mapValues { $0.qps * Double(pipeline) })
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    } else {
      print(texts.joined(separator: "\n"))
    }
  }
}

/// `weaver bench redis --json`: each test's report, and commands per second (calls × pipeline).
struct RedisBenchSummary: Codable {
  var mode: String
  var clients: Int
  var pipeline: Int
  var dataSize: Int
  var keyspace: Int
  var tests: [String: ThriftBenchReport]
  var commandsPerSecond: [String: Double]
}
