import Foundation
import Testing
import WeaverCore
import WeaverGovernance
import WeaverRPC

/// Governance through real sockets and real processes: three echo servers, one killed with
/// SIGKILL under load and brought back.
extension ServerProcessTests {
@Suite struct GovernanceFailoverTests {
  static let rules = """
    retry:
      maxAttempts: 3
      idempotent: true          # echo is safe to repeat: timeouts and resets are retried too
      idempotentRetryOn: [deadlineExceeded, connectionClosed]
    instanceBreaker:
      consecutiveFailures: 3
      waitDurationInOpenState: 1s
      maxEjectionPercent: 34%   # one of three
    """

  @Test func killingOneOfThreeUnderLoadLosesAlmostNoCallAndItsBreakerOpensThenCloses() async throws {
    var servers: [EchoServerProcess] = []
    for _ in 0..<3 { servers.append(try await EchoServerProcess.start(standalone: true)) }
    let store = RuleStore(service: "EchoService")
    try store.set(RuleDocument(parsing: Self.rules, file: "failover.yaml"), layer: .file)
    let board = BreakerBoard()  // what a runtime snapshot lists: this test's breakers only
    let governor = ClientGovernor(rules: store, events: GovernanceEvents(breakers: board))
    var configuration = ThriftClientConfiguration(connectTimeout: .milliseconds(500), rpcTimeout: .seconds(3))
    configuration.maxConnectionsPerInstance = 2
    // The breaker decides when to try the instance again; reconnects need not wait longer.
    configuration.reconnectBackoff = ReconnectBackoff(maximum: .milliseconds(500))
    let client = try ThriftClient(addresses: servers.map(\.address), configuration: configuration, governance: governor)
    defer { client.close() }
    let load = EchoLoad(client: client)
    async let running: Void = load.run(callers: 16)
    #expect(await eventually(within: .seconds(10)) { load.snapshot.succeeded >= 3_000 })

    let victim = servers[1]
    let instance = try #require(Instance(address: victim.address))
    load.mark()
    await victim.kill()  // SIGKILL: calls in flight on it fail with connectionClosed, reconnects are refused
    let killed = ContinuousClock.now
    #expect(
      await eventually(within: .seconds(2)) { governor.breakerStates.instances[instance] == .open },
      "the killed instance's breaker opens within 2 s: \(governor.breakerStates.instances)")
    let openedAfter = killed.duration(to: .now)
    #expect(board.notClosed.contains { $0.instance == victim.address && $0.service == "EchoService" }, "\(board.notClosed)")
    #expect(await eventually(within: .seconds(10)) { load.snapshot.succeededSinceMark >= 5_000 })

    let restarted = try await EchoServerProcess.start(port: victim.port, standalone: true)
    let back = ContinuousClock.now
    #expect(
      await eventually(within: .seconds(4)) { governor.breakerStates.instances[instance] == .closed },
      "calls go back to it after the 1 s open period and a probe: \(governor.breakerStates.instances)")
    let closedAfter = back.duration(to: .now)
    #expect(await eventually { !board.notClosed.contains { $0.instance == victim.address } }, "\(board.notClosed)")
    load.stop()
    await running

    let outcome = load.snapshot
    let total = outcome.succeededSinceMark + outcome.failedSinceMark
    let success = Double(outcome.succeededSinceMark) / Double(max(1, total))
    #expect(success >= 0.999, "success \(success) over \(total) calls: \(outcome.failures) \(outcome.examples)")
    print("failover: breaker open \(openedAfter) after SIGKILL, closed \(closedAfter) after restart; success \(success) of \(total)")
    await restarted.kill()
    for server in servers where server.pid != victim.pid { await server.kill() }
  }
}
}
