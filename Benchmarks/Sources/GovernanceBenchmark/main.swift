// What the governance chain costs per call, with no network: the client's call stage and
// instance stage (ClientGovernor.run + select + finish) and the server's middleware, under
// the rules of Benchmarks/governance-bench.yaml, against the same calls without them; and
// what the chain's metadata (a release tag and a traceparent) adds to a request frame's
// header, encoded and decoded. Run by Benchmarks/run-governance-bench --micro.
import BenchmarkSupport
import Foundation
import NIOCore
import WeaverCore
import WeaverGovernance
import WeaverRPC

// usage: GovernanceBenchmark RULES [NAME-PREFIX]   (a prefix runs only those, for profiling)
let rulesPath = CommandLine.arguments.dropFirst().first ?? "governance-bench.yaml"
let only = CommandLine.arguments.dropFirst(2).first
let text = try String(contentsOfFile: rulesPath, encoding: .utf8)
let store = RuleStore(service: "EchoService")
try store.set(RuleDocument(parsing: text, file: rulesPath), layer: .file)
let instances = (1...3).map { Instance(host: "127.0.0.1", port: 9000 + $0) }
let governor = ClientGovernor(rules: store)
governor.update(instances)
let plain = RoundRobinSelector(instances)
let server: any ServerMiddleware = ServerGovernor(rules: store).middleware
let context = CallContext(
  service: "EchoService", method: "echo",
  metadata: Metadata(persistent: ["release": "stable", "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]))

@inline(never) func attempt(_ selector: any InstanceSelector, _ request: Int, _ context: CallContext) throws -> Int {
  let selection = try selector.select(context)
  selection.finish(.success)
  return request &+ selection.instance.port
}

func timeAsync(_ name: String, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
  if let only, !name.hasPrefix(only) { return }
  // The fastest of 9 rounds of 100 000 calls.
  let iterations = 100_000
  let clock = ContinuousClock()
  var best = Double.infinity
  let allocationsBefore = AllocationCounter.count
  for _ in 0..<9 {
    let elapsed = try await clock.measure { try await body(iterations) }
    best = min(best, Double(elapsed.components.attoseconds) / 1e18 / Double(iterations) + Double(elapsed.components.seconds) / Double(iterations))
  }
  let allocations = Double(AllocationCounter.count - allocationsBefore) / Double(iterations * 9)
  let padded = name.padding(toLength: 24, withPad: " ", startingAt: 0)
  print(String(format: "%@ %8.1f ns/call  %5.2f allocs/call", padded as NSString, best * 1e9, AllocationCounter.isAvailable ? allocations : .nan))
}

try await timeAsync("client: plain selector") { n in
  for i in 0..<n { _ = try attempt(plain, i, context) }
}
try await timeAsync("client: governed") { n in
  for i in 0..<n {
    _ = try await governor.run(i, context: context) { request, context in try attempt(governor, request, context) }
  }
}
try await timeAsync("server: governed") { n in
  for i in 0..<n { _ = try await server.intercept(i, context: context) { request, _ in request &+ 1 } }
}

/// A TTHeader request header as the client sends it, with or without the chain's metadata.
func requestHeader(metadata: Metadata) -> ThriftFrameHeader {
  ThriftFrameHeader(
    sequenceID: 7, strings: ["isn": "EchoService"], ints: [3: "bench", 6: "EchoService", 9: "echo", 12: "1000"], metadata: metadata)
}

for (name, metadata) in [("frame: no metadata", Metadata()), ("frame: chain metadata", context.metadata)] {
  let frame = ThriftFrame(transport: .ttheader, protocol: .binary, header: requestHeader(metadata: metadata), message: ByteBuffer(repeating: 1, count: 160))
  try await timeAsync(name) { n in
    var buffer = ByteBuffer()
    for _ in 0..<n {
      buffer.clear()
      try ThriftFrameCodec.encode(frame, into: &buffer)
      _ = try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .ttheader, maxFrameSize: 1 << 20)
    }
  }
}
