import GRPCCore
import GRPCNIOTransportHTTP2
import WeaverBench
import WeaverCore
import WeaverGRPC
import WeaverGovernance

/// Drives a gRPC echo server (`echo.Echo/Echo`) with the load a plan describes: one
/// grpc-swift client per connection, the workers spread over them. With rules, each client
/// is a ``GovernedGRPCTransport`` under a ``ClientGovernor`` (what governance costs).
public struct GRPCLoadGenerator: Sendable {
  public let plan: ThriftBenchPlan

  public init(plan: ThriftBenchPlan) {
    self.plan = plan
  }

  public func run(progress: (@Sendable (ThriftBenchProgress) -> Void)? = nil) async throws -> ThriftBenchReport {
    try plan.validate()
    let governor = try plan.ruleStore(service: "echo.Echo").map { ClientGovernor(rules: $0) }
    let clients = try (0..<plan.connections).map { _ -> GRPCClient<GovernedGRPCTransport> in
      let transport = try GovernedGRPCTransport(
        addresses: plan.targets, governance: governor, configuration: .init(middlewares: plan.middlewares))
      return GRPCClient(transport: transport)
    }
    var request = Echo_EchoRequest()
    request.message = String(repeating: "x", count: plan.payload)
    let expected = plan.payload
    let metadata = plan.metadata
    var options = CallOptions.defaults
    options.timeout = plan.timeout

    return try await withThrowingDiscardingTaskGroup { group in
      for client in clients { group.addTask { try await client.runConnections() } }
      defer { for client in clients { client.beginGracefulShutdown() } }
      let echoes = clients.map { Echo_Echo.Client(wrapping: $0) }
      let call: @Sendable (Echo_Echo.Client<GovernedGRPCTransport>) async throws -> Void = { [request, options] echo in
        let reply = try await CallContext.with(metadata: Metadata(persistent: metadata)) {
          try await echo.echo(request, options: options)
        }
        if reply.message.utf8.count != expected { throw EchoReplyMismatch(sent: expected, received: reply.message.utf8.count) }
      }
      do {
        try await call(echoes[0])
      } catch {
        throw ThriftBenchError("cannot call \(plan.target) over gRPC: \(error)")
      }
      let run = EchoLoadRun(rate: plan.rate, duration: plan.duration, warmup: plan.warmup, timeout: plan.timeout, kind: Self.kind)
      let lanes = echoes.enumerated().map { index, echo in
        EchoLoadRun.Lane(workers: plan.concurrency / echoes.count + (index < plan.concurrency % echoes.count ? 1 : 0)) { try await call(echo) }
      }.filter { $0.workers > 0 }
      let result = try await run.run(lanes, progress: progress)
      return ThriftBenchReport(
        target: plan.target, transport: "http2", protocol: "grpc", plan: plan, seconds: result.seconds, histogram: result.histogram,
        errors: result.errors, examples: result.examples)
    }
  }

  /// A short name for a failure: the gRPC status code.
  static func kind(of error: any Error) -> String {
    switch error {
    case let error as GRPCCore.RPCError: "\(error.code)"
    case is EchoReplyMismatch: "wrongReply"
    default: String(describing: type(of: error))
    }
  }
}
