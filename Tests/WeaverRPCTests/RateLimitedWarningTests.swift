import Testing
@testable import WeaverRPC

@Suite struct RateLimitedWarningTests {
  @Test func oneLineAnIntervalCountingTheRest() {
    let warning = RateLimitedWarning(interval: .seconds(1))
    let start = ContinuousClock.now
    var logged: [Int] = []
    for millisecond in stride(from: 0, to: 2500, by: 25) {  // 100 refusals over 2.5 s
      warning.record(at: start.advanced(by: .milliseconds(millisecond))) { logged.append($0) }
    }
    #expect(logged == [0, 39, 39], "a line at 0 s, 1 s and 2 s, each with the count it stands for")
  }
}
