import NIOCore
import WeaverBench
import WeaverRedis

/// What `weaver bench redis` runs: `clients` workers, each sending `pipeline` commands at a
/// time (SET or GET of random keys, as `redis-benchmark -r` draws them) and waiting for all
/// their replies before the next batch, through one cluster or standalone client.
struct RedisLoadGenerator: Sendable {
  let client: any RedisCommandExecuting
  let clients: Int
  let pipeline: Int
  let keys: [String]
  let value: ByteBuffer
  let duration: Duration
  let warmup: Duration

  /// A failed batch's kind, for the error table (`connect_failed`, `error_reply`, …).
  struct Failure: Error, CustomStringConvertible {
    var kind: String
    var description: String
  }

  init(
    client: any RedisCommandExecuting, clients: Int, pipeline: Int, keyspace: Int, dataSize: Int, duration: Duration,
    warmup: Duration
  ) {
    self.client = client
    self.clients = clients
    self.pipeline = pipeline
    // redis-benchmark's -r keys: key:000000012345.
    self.keys = (0..<keyspace).map { index in
      let digits = String(index)
      return "key:" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
    self.value = ByteBuffer(repeating: UInt8(ascii: "x"), count: dataSize)
    self.duration = duration
    self.warmup = warmup
  }

  /// Runs one test (`set` or `get`) and reports it; `calls` in the report are batches.
  func run(test: String, target: String, progress: (@Sendable (ThriftBenchProgress) -> Void)?) async throws -> ThriftBenchReport {
    let run = EchoLoadRun(
      rate: nil, duration: duration, warmup: warmup, timeout: .seconds(10),
      kind: { error in (error as? Failure)?.kind ?? (error as? RedisError)?.kind ?? "\(type(of: error))" })
    let lane = EchoLoadRun.Lane(workers: clients) { [self] in try await self.batch(test) }
    let result = try await run.run([lane], progress: progress)
    var plan = ThriftBenchPlan(target: target, connections: clients, concurrency: clients, duration: duration, warmup: warmup)
    plan.payload = value.readableBytes
    return ThriftBenchReport(
      target: target, transport: "resp3", protocol: test.uppercased(), plan: plan, seconds: result.seconds,
      histogram: result.histogram, errors: result.errors, examples: result.examples)
  }

  private func command(_ test: String) -> RedisCommand {
    let key = keys[Int.random(in: 0..<keys.count)]
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

  private func batch(_ test: String) async throws {
    if pipeline == 1 {
      do {
        try check(try await client.execute(command(test)), test: test)
      } catch let error as RedisError {
        throw Failure(kind: error.kind, description: error.description)
      }
      return
    }
    let results = await client.pipeline((0..<pipeline).map { _ in command(test) })
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
