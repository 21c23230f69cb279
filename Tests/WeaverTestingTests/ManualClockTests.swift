import Testing
import WeaverTesting

@Suite struct ManualClockTests {
  @Test func sleepersWakeWhenTimeIsAdvancedPastTheirDeadline() async throws {
    let clock = ManualClock()
    let start = clock.now
    async let woke: Void = clock.sleep(until: start.advanced(by: .seconds(5)))
    while clock.sleeperCount == 0 { await Task.yield() }
    clock.advance(by: .seconds(4))
    #expect(clock.sleeperCount == 1, "not due yet")
    clock.advance(by: .seconds(1))
    try await woke
    #expect(clock.now == start.advanced(by: .seconds(5)))
    #expect(start.duration(to: clock.now) == .seconds(5))
  }

  @Test func pastDeadlinesReturnAtOnceAndTimeNeverGoesBack() async throws {
    let clock = ManualClock()
    clock.advance(by: .seconds(10))
    try await clock.sleep(until: ManualClock.Instant(offset: .seconds(3)))
    clock.advance(to: ManualClock.Instant(offset: .seconds(1)))
    #expect(clock.now.offset == .seconds(10))
  }

  @Test func cancellationWakesASleeperWithAnError() async {
    let clock = ManualClock()
    let task = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(60))) }
    while clock.sleeperCount == 0 { await Task.yield() }
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(clock.sleeperCount == 0)
  }

  @Test func worksAsAnyClockOfDuration() async throws {
    let clock: any Clock<Duration> = ManualClock()
    #expect(clock.minimumResolution == .zero)
  }
}
