import Testing
import WeaverGovernance

@Suite struct TokenBucketTests {
  private func taken(_ bucket: TokenBucket, at now: Duration, tries: Int = 100) -> Int {
    (0..<tries).count { _ in bucket.tryTake(now: now) }
  }

  @Test func startsFullWithTheBurst() {
    let bucket = TokenBucket(rate: 10, burst: 5)
    #expect(taken(bucket, at: .seconds(1)) == 5)
  }

  @Test func refillsAtTheRate() {
    let bucket = TokenBucket(rate: 10, burst: 5)
    #expect(taken(bucket, at: .zero) == 5)
    #expect(taken(bucket, at: .milliseconds(99)) == 0)
    #expect(taken(bucket, at: .milliseconds(100)) == 1)
    #expect(taken(bucket, at: .milliseconds(350)) == 2)  // 250 ms: two and a half tokens
    #expect(taken(bucket, at: .milliseconds(400)) == 1)  // the half plus another half
    // A steady caller gets the rate: one token per 100 ms over 10 s.
    var granted = 0
    for step in 1...1000 { granted += taken(bucket, at: .milliseconds(400 + step * 10), tries: 1) }
    #expect(granted == 100)
  }

  @Test func idleTimeNeverExceedsTheBurst() {
    let bucket = TokenBucket(rate: 10, burst: 5)
    #expect(taken(bucket, at: .zero) == 5)
    #expect(taken(bucket, at: .seconds(3600)) == 5)
  }

  @Test func burstDefaultsToOneSecondsWorth() {
    #expect(TokenBucket(rate: 20).burst == 20)
    #expect(TokenBucket(rate: 2.5).burst == 3)
    #expect(TokenBucket(rate: 0.5).burst == 1)
    #expect(TokenBucket(rate: 10, burst: 0).burst == 1)
  }

  @Test func fractionalRates() {
    let bucket = TokenBucket(rate: 0.5)
    #expect(bucket.tryTake(now: .zero))
    #expect(!bucket.tryTake(now: .seconds(1)))
    #expect(bucket.tryTake(now: .seconds(2)))
  }

  @Test func aZeroRateRefusesEverything() {
    #expect(taken(TokenBucket(rate: 0, burst: 10), at: .zero) == 0)
  }

  @Test func rulesAndLiveUpdates() {
    var limits = LimitRules()
    #expect(TokenBucket(limits: limits) == nil)
    limits.serverQPS = 100
    limits.serverBurst = 3
    let bucket = TokenBucket(limits: limits)!
    #expect(taken(bucket, at: .zero) == 3)
    bucket.update(rate: 1, burst: 1)
    #expect(taken(bucket, at: .seconds(1)) == 1)
    #expect(taken(bucket, at: .milliseconds(1500)) == 0)
  }
}

@Suite struct InFlightLimiterTests {
  @Test func limitsCallsAtOnce() {
    let limiter = InFlightLimiter(limit: 2)
    #expect(limiter.tryAcquire())
    #expect(limiter.tryAcquire())
    #expect(!limiter.tryAcquire())
    limiter.release()
    #expect(limiter.inFlight == 1)
    #expect(limiter.tryAcquire())
  }

  @Test func theLimitChangesLive() {
    let limiter = InFlightLimiter(limit: 3)
    for _ in 0..<3 { #expect(limiter.tryAcquire()) }
    limiter.limit = 2
    limiter.release()
    #expect(!limiter.tryAcquire())  // 2 running, limit 2
    limiter.limit = 5
    #expect(limiter.tryAcquire())
    #expect(limiter.inFlight == 3)
    #expect(!InFlightLimiter(limit: 0).tryAcquire())
  }

  @Test func neverExceedsTheLimitUnderContention() async {
    let limiter = InFlightLimiter(limit: 3)
    let peak = await withTaskGroup(of: Int.self) { group in
      for _ in 0..<8 {
        group.addTask {
          var peak = 0
          for _ in 0..<500 where limiter.tryAcquire() {
            peak = max(peak, limiter.inFlight)
            limiter.release()
          }
          return peak
        }
      }
      return await group.reduce(0, max)
    }
    #expect(peak <= 3)
    #expect(limiter.inFlight == 0)
  }
}
