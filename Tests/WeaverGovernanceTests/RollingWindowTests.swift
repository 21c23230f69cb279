import Testing
import WeaverGovernance

@Suite struct RollingWindowTests {
  @Test func countsWhatWasRecorded() {
    var window = RollingWindow(window: .seconds(10), buckets: 10)
    window.record(failure: false, slow: false, now: .seconds(1))
    window.record(failure: true, slow: false, now: .seconds(1))
    window.record(failure: true, slow: true, now: .milliseconds(2500))
    #expect(window.counts(now: .seconds(3)) == RollingWindow.Counts(total: 3, failures: 2, slow: 1))
  }

  @Test func oldBucketsLeaveOneAtATime() {
    var window = RollingWindow(window: .seconds(10), buckets: 10)
    window.record(failure: true, slow: false, now: .milliseconds(500))  // bucket [0, 1)
    window.record(failure: false, slow: false, now: .milliseconds(1500))  // bucket [1, 2)
    #expect(window.counts(now: .milliseconds(9999)).total == 2)
    #expect(window.counts(now: .seconds(10)) == RollingWindow.Counts(total: 1, failures: 0, slow: 0))
    #expect(window.counts(now: .seconds(11)).total == 0)
  }

  @Test func aJumpPastTheWindowEmptiesIt() {
    var window = RollingWindow(window: .seconds(10), buckets: 10)
    for second in 0..<10 { window.record(failure: true, slow: true, now: .seconds(second)) }
    #expect(window.counts(now: .seconds(9)).total == 10)
    #expect(window.counts(now: .seconds(500)) == .zero)
    window.record(failure: false, slow: false, now: .seconds(500))
    #expect(window.counts(now: .seconds(500)).total == 1)
  }

  @Test func timeGoingBackwardsCountsInTheNewestBucket() {
    var window = RollingWindow(window: .seconds(10), buckets: 10)
    window.record(failure: false, slow: false, now: .seconds(5))
    window.record(failure: true, slow: false, now: .seconds(2))
    #expect(window.counts(now: .seconds(5)).total == 2)
    #expect(window.counts(now: .seconds(15)).total == 0)
  }

  @Test func resetForgetsEverything() {
    var window = RollingWindow(window: .seconds(1), buckets: 4)
    window.record(failure: true, slow: true, now: .zero)
    window.reset()
    #expect(window.counts(now: .zero) == .zero)
  }
}
