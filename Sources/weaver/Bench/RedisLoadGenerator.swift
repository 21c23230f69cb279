import NIOCore
import Synchronization
import WeaverGovernance
import WeaverBench
import WeaverRPC
import WeaverRedis

/// What `weaver bench redis` runs: `clients` workers, each sending `pipeline` commands at a
/// time (SET or GET of random keys, as `redis-benchmark -r` draws them) and waiting for all
/// their replies before the next batch.
///
/// Workers are spread over lanes, one per event loop: a lane has its own client on that
/// loop and its workers run there (``EventLoopTaskExecutor``), so a command is written and
/// answered on one thread, as `weaver bench thrift` does it.
struct RedisLoadGenerator: Sendable {
  /// One event loop's client and the executor its workers run on.
  struct Lane: Sendable {
    var client: any RedisCommandExecuting
    var executor: EventLoopTaskExecutor
  }

  let lanes: [Lane]
  let clients: Int
  let pipeline: Int
  let keys: RedisBenchKeys
  let value: ByteBuffer
  let duration: Duration
  let warmup: Duration

  /// A failed batch's kind, for the error table (`connect_failed`, `error_reply`, …).
  struct Failure: Error, CustomStringConvertible {
    var kind: String
    var description: String
  }

  init(
    lanes: [Lane], clients: Int, pipeline: Int, keys: RedisBenchKeys, dataSize: Int, duration: Duration, warmup: Duration
  ) {
    self.lanes = lanes
    self.clients = clients
    self.pipeline = pipeline
    self.keys = keys
    self.value = ByteBuffer(repeating: UInt8(ascii: "x"), count: dataSize)
    self.duration = duration
    self.warmup = warmup
  }

  /// Runs one test (`set` or `get`) and reports it; `calls` in the report are batches.
  func run(test: String, target: String, progress: (@Sendable (ThriftBenchProgress) -> Void)?) async throws -> ThriftBenchReport {
    let run = EchoLoadRun(
      rate: nil, duration: duration, warmup: warmup, timeout: .seconds(10),
      kind: { error in (error as? Failure)?.kind ?? (error as? RedisError)?.kind ?? "\(type(of: error))" })
    // Worker `w` runs in lane `w % lanes` and keeps to its keys' group `w` (a cluster node).
    // Each worker draws its keys from its own SplitMix64, as redis-benchmark uses libc's
    // random(): the system generator would cost a getrandom call per key.
    var seeds = SystemRandomNumberGenerator()
    let workers = (0..<clients).map { worker in
      let lane = lanes[worker % lanes.count]
      let random = WorkerRandom(seed: seeds.next())
      return EchoLoadRun.Lane(workers: 1, executor: lane.executor) { [self] in
        try await self.batch(test, client: lane.client, worker: worker, random: random)
      }
    }
    let result = try await run.run(workers, progress: progress)
    var plan = ThriftBenchPlan(target: target, connections: clients, concurrency: clients, duration: duration, warmup: warmup)
    plan.payload = value.readableBytes
    return ThriftBenchReport(
      target: target, transport: "resp3", protocol: test.uppercased(), plan: plan, seconds: result.seconds,
      histogram: result.histogram, errors: result.errors, examples: result.examples)
  }

  private func command(_ test: String, key: String) -> RedisCommand {
    if test == "set" {
      var set = RedisCommand("SET")
      set.key(key)
      set.argument(value)
      return set
    }
    var get = RedisCommand("GET", readOnly: true)
    get.key(key)
    return get
  }

  private func batch(_ test: String, client: any RedisCommandExecuting, worker: Int, random: WorkerRandom) async throws {
    let keys = random.state.withLock { random in
      let prefix = self.keys.batchPrefix(worker: worker, using: &random)
      return (0..<pipeline).map { _ in self.keys.key(prefix, using: &random) }
    }
    if pipeline == 1 {
      do {
        try check(try await client.execute(command(test, key: keys[0])), test: test)
      } catch let error as RedisError {
        throw Failure(kind: error.kind, description: error.description)
      }
      return
    }
    let results = await client.pipeline(keys.map { command(test, key: $0) })
    for result in results {
      switch result {
      case .success(let reply): try check(reply, test: test)
      case .failure(let error): throw Failure(kind: error.kind, description: error.description)
      }
    }
  }

  private func check(_ reply: RESPValue, test: String) throws {
    switch (test, reply) {
    case ("set", .simpleString("OK")), ("get", .bulkString), ("get", .null): return
    case (_, .error(let error)): throw Failure(kind: "error_reply", description: error.message)
    default: throw Failure(kind: "unexpected_reply", description: "\(test.uppercased()) got \(reply.brief)")
    }
  }
}

/// One worker's random numbers (only that worker draws from it).
final class WorkerRandom: Sendable {
  let state: Mutex<SplitMix64>

  init(seed: UInt64) {
    state = Mutex(SplitMix64(seed: seed))
  }
}
