import Testing
import WeaverCore
@testable import WeaverRPC

@Suite struct ReconnectBackoffTests {
  let policy = ReconnectBackoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(2), jitter: 0.2)

  @Test func waitsGrowExponentiallyUpToTheMaximum() {
    let waits = (1...8).map { policy.delay(afterFailures: $0, random: 0.5) }
    #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2), .seconds(2)])
  }

  @Test func jitterStaysWithinItsShare() {
    #expect(policy.delay(afterFailures: 3, random: 0) == .milliseconds(320))
    #expect(policy.delay(afterFailures: 3, random: 0.999_999).seconds <= 0.48)
    #expect(policy.delay(afterFailures: 9, random: 0.999_999) <= .seconds(2), "never past the maximum")
  }

  @Test func aFailedConnectHoldsOffTheNextUntilTheBackoffPasses() {
    let start = ContinuousClock.now
    var state = ConnectBackoffState()
    #expect(state.mayConnect(at: start))
    state.connectFailed(RPCError(.connectFailed, "refused"), at: start, policy: policy, random: 0.5)
    #expect(!state.mayConnect(at: start.advanced(by: .milliseconds(99))))
    #expect(state.mayConnect(at: start.advanced(by: .milliseconds(100))))
    let error = state.failFastError(at: start.advanced(by: .milliseconds(40)))
    #expect(error.code == .connectFailed)
    #expect(error.message == "refused (next attempt in 60 ms)")
    state.connectFailed(RPCError(.connectFailed, "refused"), at: start.advanced(by: .milliseconds(100)), policy: policy, random: 0.5)
    #expect(!state.mayConnect(at: start.advanced(by: .milliseconds(299))), "the second wait is twice the first")
    state.connected()
    #expect(state.mayConnect(at: start.advanced(by: .milliseconds(100))) && state.failures == 0)
  }

  @Test func aDrainingServerHoldsOffNewConnectionsOnceWithShuttingDown() {
    let start = ContinuousClock.now
    var state = ConnectBackoffState()
    state.serverDraining(at: start, policy: policy, random: 0.5)
    state.serverDraining(at: start.advanced(by: .milliseconds(50)), policy: policy, random: 0.5)
    #expect(state.failures == 1, "repeated notices while backing off change nothing")
    #expect(state.failFastError(at: start).code == .shuttingDown, "calls fail as not processed, so they go elsewhere")
    #expect(state.mayConnect(at: start.advanced(by: .milliseconds(100))))
  }
}
