import Synchronization
import Testing
import WeaverCore
import WeaverGovernance
import WeaverRPC
import WeaverTesting
import WeaverThrift

/// Governance's errors reach a caller as themselves on every transport, and server
/// middleware sees how a call really ended.
@Suite struct GovernanceWireTests {
  /// Throws `error` for every call.
  struct Refusing: ServerMiddleware {
    let error: RPCError
    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response { throw error }
  }

  /// Records each call's outcome.
  final class Outcomes: ServerMiddleware {
    let seen = Mutex<[CallOutcome]>([])
    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      let response = try await next(request, context)
      if let reply = response as? any OutcomeReporting { seen.withLock { $0.append(reply.outcome) } }
      return response
    }
  }

  @Test(arguments: [ThriftTransport.framed, .ttheader, .theader])
  func aMiddlewaresRPCErrorArrivesAsItselfNotAsAnInternalError(transport: ThriftTransport) async throws {
    for code in [RPCError.Code.overloaded, .circuitOpen, .degraded, .injectedFault] {
      let refusing = Refusing(error: RPCError(code, "refused by test"))
      try await withServer(interopServices(), configuration: ThriftServerConfiguration(middlewares: [refusing])) { _, port in
        let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: ThriftClientConfiguration(transport: transport, connectTimeout: .testConnectTimeout))
        defer { client.close() }
        let error = await #expect(throws: RPCError.self) { try await InteropService.Client(channel: client).add(a: 1, b: 2) }
        #expect(error?.code == code, "\(transport): \(String(describing: error))")
        #expect(error?.message == "refused by test")
      }
    }
  }

  @Test func serverMiddlewareSeesDeclaredExceptionsAndFailuresApart() async throws {
    let outcomes = Outcomes()
    let server = InProcessServer(services: interopServices(), middlewares: [outcomes])
    let interop = InteropService.Client(channel: server.channel())
    _ = try await interop.add(a: 1, b: 2)
    await #expect(throws: Oops.self) { try await interop.fail(code: 7) }
    await #expect(throws: TApplicationException.self) { try await interop.fail(code: -1) }
    #expect(outcomes.seen.withLock { $0 } == [.success, .declaredError, .failure(.serverError)])
  }

  @Test func theServerGovernorsLimitAnswersOverloadedThroughTheRealRouter() async throws {
    let rules = RuleStore(service: "InteropService")
    try rules.set(RuleDocument(parsing: "methods: {add: {limits: {qps: 1, burst: 2}}}", file: "limits.yaml"), layer: .file)
    let time = SimulatedTime()
    let server = InProcessServer(services: interopServices(), middlewares: [ServerGovernor(rules: rules, time: time.source).middleware])
    let interop = InteropService.Client(channel: server.channel())
    _ = try await interop.add(a: 1, b: 1)
    _ = try await interop.add(a: 1, b: 1)
    let error = await #expect(throws: RPCError.self) { try await interop.add(a: 1, b: 1) }
    #expect(error?.code == .overloaded)
    _ = try await interop.echo(payload: Payload(text: "other methods are not limited"))
    time.advance(by: .seconds(1))
    _ = try await interop.add(a: 1, b: 1)  // a token came back
  }

  @Test func anOverloadedReplyIsNotRetried() async throws {
    let rules = RuleStore(service: "InteropService")
    try rules.set(RuleDocument(parsing: "retry: {maxAttempts: 3, idempotent: true}", file: "retry.yaml"), layer: .file)
    let attempts = Atomic<Int>(0)
    let governor = ClientGovernor(rules: rules)
    let context = CallContext(service: "InteropService", method: "add")
    let error = await #expect(throws: RPCError.self) {
      try await governor.run(1, context: context) { (_: Int, _: CallContext) async throws -> Int in
        attempts.wrappingAdd(1, ordering: .relaxed)
        throw RPCError(.overloaded, "busy")
      }
    }
    #expect(error?.code == .overloaded)
    #expect(attempts.load(ordering: .relaxed) == 1)
  }
}

@Suite struct HandlerRPCErrorTests {
  struct Unavailable: SecondService.ServiceProtocol {
    func second(text: String) async throws -> String { throw RPCError(.unavailable, "downstream has no instance") }
  }

  @Test func anRPCErrorAHandlerThrowsArrivesAsItself() async throws {
    let server = InProcessServer(services: [SecondService.service(Unavailable())])
    let error = await #expect(throws: RPCError.self) { try await SecondService.Client(channel: server.channel()).second(text: "x") }
    #expect(error?.code == .unavailable)
    #expect(error?.message == "downstream has no instance")
  }
}
