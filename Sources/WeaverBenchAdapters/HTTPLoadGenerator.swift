import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import WeaverBench
import WeaverCore
import WeaverDiscovery
import WeaverGovernance
import WeaverHTTP

/// Drives an HTTP echo server (`POST /echo`, JSON) with the load a plan describes, over
/// HTTP/1.1 keep-alive connections (at most `connections`), through a
/// ``GovernedHTTPClient`` (with the plan's rules, if any).
public struct HTTPLoadGenerator: Sendable {
  public let plan: ThriftBenchPlan

  public init(plan: ThriftBenchPlan) {
    self.plan = plan
  }

  public func run(progress: (@Sendable (ThriftBenchProgress) -> Void)? = nil) async throws -> ThriftBenchReport {
    try plan.validate()
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = plan.connections
    configuration.httpVersion = .http1Only
    configuration.timeout.connect = .seconds(2)
    let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    do {
      let report = try await measure(http, progress: progress)
      try await http.shutdown()
      return report
    } catch {
      try? await http.shutdown()
      throw error
    }
  }

  private func measure(_ http: HTTPClient, progress: (@Sendable (ThriftBenchProgress) -> Void)?) async throws -> ThriftBenchReport {
    let governor = try plan.ruleStore(service: HTTPEchoRouter.service).map { ClientGovernor(rules: $0) }
    let client = GovernedHTTPClient(
      service: HTTPEchoRouter.service, resolver: try StaticResolver(addresses: plan.targets), governance: governor, httpClient: http,
      configuration: .init(middlewares: plan.middlewares, defaultTimeout: plan.timeout))
    let body = ByteBuffer(data: try JSONEncoder().encode(EchoMessage(message: String(repeating: "x", count: plan.payload))))
    var headers = HTTPHeaders()
    headers.add(name: "content-type", value: "application/json")
    let expected = plan.payload
    let metadata = plan.metadata
    let call: @Sendable () async throws -> Void = { [headers] in
      let answer = try await CallContext.with(metadata: Metadata(persistent: metadata)) {
        try await client.execute(.POST, "/echo", headers: headers, body: body)
      }
      guard answer.status == .ok else { throw HTTPEchoFailure(status: Int(answer.status.code), body: answer.text) }
      let reply = try JSONDecoder().decode(EchoMessage.self, from: Data(answer.body.readableBytesView))
      if reply.message.utf8.count != expected { throw EchoReplyMismatch(sent: expected, received: reply.message.utf8.count) }
    }
    do {
      try await call()
    } catch {
      throw ThriftBenchError("cannot call \(plan.target) over HTTP: \(error)")
    }
    let run = EchoLoadRun(rate: plan.rate, duration: plan.duration, warmup: plan.warmup, timeout: plan.timeout, kind: Self.kind)
    let result = try await run.run([EchoLoadRun.Lane(workers: plan.concurrency, call: call)], progress: progress)
    return ThriftBenchReport(
      target: plan.target, transport: "http1.1", protocol: "json", plan: plan, seconds: result.seconds, histogram: result.histogram,
      errors: result.errors, examples: result.examples)
  }

  static func kind(of error: any Error) -> String {
    switch error {
    case let error as HTTPEchoFailure: "http\(error.status)"
    case let error as RPCError: error.code.name
    case is EchoReplyMismatch: "wrongReply"
    default: String(describing: type(of: error))
    }
  }
}

/// An echo answered with a status other than 200.
struct HTTPEchoFailure: Error, CustomStringConvertible {
  let status: Int
  let body: String
  var description: String { "HTTP \(status): \(body.prefix(200))" }
}
