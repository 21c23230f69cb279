import Foundation
import Testing
import WeaverCore
import WeaverRPC

/// When an instance dies, every waiting call learns of it promptly, reconnects back off
/// instead of spinning, and calls come back once the instance does.
extension ServerProcessTests {
@Suite struct FailFastTests {
  @Test func killingTheServerUnderLoadFailsEveryCallerFastAndReconnectsBackOff() async throws {
    let server = try await EchoServerProcess.start()
    let port = server.port
    var configuration = ThriftClientConfiguration(connectTimeout: .seconds(1), rpcTimeout: .seconds(3))
    configuration.maxConnectionsPerInstance = 2
    configuration.maxConcurrentCallsPerConnection = 16
    let client = try ThriftClient(addresses: [server.address], configuration: configuration)
    defer { client.close() }
    let load = EchoLoad(client: client)
    async let running: Void = load.run(callers: 32)
    #expect(await eventually(within: .seconds(10)) { load.snapshot.succeeded >= 300 })

    await server.kill()  // SIGKILL
    let attemptsBefore = client.connectAttempts
    load.mark()
    let killed = ContinuousClock.now
    try await Task.sleep(for: .milliseconds(1500))  // the callers keep calling meanwhile
    let attempts = client.connectAttempts - attemptsBefore
    let outcome = load.snapshot

    #expect(outcome.failures[RPCError.Code.deadlineExceeded.name] == nil, "no caller waits out its deadline: \(outcome.failures)")
    #expect(outcome.slowestFailure < .seconds(3), "every failure before the deadline: \(outcome.slowestFailure)")
    #expect(outcome.failedSinceMark > 32, "the callers went on calling and failing fast")
    // Backoff 100 ms doubling (±20 %): about 4 attempts in 1.5 s; spinning would be thousands.
    #expect(attempts >= 1 && attempts <= 8, "\(attempts) connects in \(killed.duration(to: .now))")

    // The instance comes back on the same port: calls succeed again once the backoff ends.
    let restarted = try await EchoServerProcess.start(port: port)
    let successesBefore = load.snapshot.succeededSinceMark
    #expect(
      await eventually(within: .seconds(8)) { load.snapshot.succeededSinceMark > successesBefore + 100 },
      "calls resume: \(load.snapshot.failures) \(load.snapshot.examples)")
    load.stop()
    await running
    await restarted.kill()
  }

  @Test func aRefusedConnectFailsEveryWaitingCallAtOnce() async throws {
    let port = 1  // nothing listens there (a port freed a moment ago could be another test's by now)
    let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: ThriftClientConfiguration(rpcTimeout: .seconds(5)))
    defer { client.close() }
    let interop = InteropService.Client(channel: client)
    let started = ContinuousClock.now
    let codes = await withTaskGroup(of: RPCError.Code?.self) { group in
      for _ in 0..<32 {
        group.addTask {
          do {
            _ = try await interop.add(a: 1, b: 1)
            return nil
          } catch {
            return (error as? RPCError)?.code
          }
        }
      }
      return await group.reduce(into: [RPCError.Code?]()) { $0.append($1) }
    }
    #expect(codes.allSatisfy { $0 == .connectFailed }, "all 32 fail with the connect error, none at its deadline: \(codes)")
    #expect(started.duration(to: .now) < .seconds(5))
    #expect(client.connectAttempts <= 3, "one connect for all of them, then the backoff (which a slow machine may outlast once)")
  }
}
}
