import WeaverCore

/// A circuit breaker's logic, without locks or clocks: time is passed in as `now` (time
/// since an arbitrary origin, as `TimeSource.now()` gives it), so it is deterministic.
/// ``CircuitBreaker`` shares one between tasks.
///
/// - closed: calls are allowed and counted in a ``RollingWindow``. It trips (opens) on
///   ``BreakerRules/consecutiveFailures`` failures in a row, or, once the window holds
///   ``BreakerRules/minimumRequests`` calls, when the failure rate or the slow-call rate
///   reaches its threshold (`≥`; at least one failing or slow call is needed).
/// - open: calls are rejected for the open duration: ``BreakerRules/openDuration`` at first,
///   multiplied by ``BreakerRules/openDurationMultiplier`` on each re-open (a failed probe),
///   up to ``BreakerRules/maxOpenDuration`` (never below the base); back to the base once
///   the breaker closes.
/// - half-open: the first call after the open period is a probe; up to
///   ``BreakerRules/halfOpenProbes`` probes run at once. ``BreakerRules/halfOpenSuccesses``
///   successful probes close the breaker (with an empty window); a failed probe re-opens
///   it, and so does a slow one when slow-call tripping is on. A probe that is neither
///   recorded nor cancelled within the open duration counts as lost and frees its slot.
/// - forcedOpen / disabled: the rule's ``BreakerRules/mode``; reject all / allow all.
///
/// Outcomes: `.success` succeeds; `.failure(code)` fails when `code` is in
/// ``BreakerRules/countedFailures``; other failures and `.declaredError` are ignored
/// (neither counted nor slow). A call is slow when its latency exceeds
/// ``BreakerRules/slowCallDuration``.
///
/// Outcomes of calls allowed while closed that arrive after the breaker left `closed` are
/// dropped; so are probe outcomes that arrive after their half-open period ended (while
/// open), and a late probe that arrives once the breaker is closed again counts as a
/// normal call.
public struct BreakerStateMachine: Sendable {
  /// Where the breaker stands, with what each state needs to know.
  enum Phase: Sendable, Hashable {
    case closed
    case open(until: Duration)
    /// `lastProbeAt`: when the newest probe was let through (to find lost probes).
    case halfOpen(probesInFlight: Int, successes: Int, lastProbeAt: Duration)
    case forcedOpen
    case disabled
  }

  /// How a recorded outcome counts.
  enum Verdict: Sendable, Hashable {
    case success(slow: Bool)
    case failure(RPCError.Code, slow: Bool)
    case ignored
  }

  public private(set) var rules: BreakerRules
  private(set) var phase: Phase
  private var window: RollingWindow
  /// Counted failures since the last success (ignored outcomes leave it alone).
  public private(set) var consecutiveFailureCount = 0
  /// The open period the next (re-)open uses.
  public private(set) var currentOpenDuration: Duration

  public init(rules: BreakerRules = BreakerRules()) {
    self.rules = rules
    window = RollingWindow(window: rules.window, buckets: rules.buckets)
    currentOpenDuration = rules.openDuration
    phase = Self.phase(for: rules.mode)
  }

  /// The current state. An open breaker whose period has ended reports `open` until the
  /// next ``acquire(now:)`` turns it half-open.
  public var state: BreakerState {
    switch phase {
    case .closed: .closed
    case .open: .open
    case .halfOpen: .halfOpen
    case .forcedOpen: .forcedOpen
    case .disabled: .disabled
    }
  }

  /// The window's counts at `now`.
  public mutating func counts(now: Duration) -> RollingWindow.Counts {
    window.counts(now: now)
  }

  // MARK: Admission

  /// Asks to let a call through at `now`.
  public mutating func acquire(now: Duration) -> BreakerPermit {
    acquireWithTransition(now: now).permit
  }

  /// ``acquire(now:)``, also returning the open → half-open transition it may cause.
  public mutating func acquireWithTransition(now: Duration) -> (permit: BreakerPermit, transition: BreakerTransition?) {
    switch phase {
    case .closed, .disabled:
      return (.allowed, nil)
    case .forcedOpen:
      return (.rejected(retryAfter: rules.openDuration), nil)
    case .open(let until):
      guard now >= until else { return (.rejected(retryAfter: until - now), nil) }
      phase = .halfOpen(probesInFlight: 1, successes: 0, lastProbeAt: now)
      return (.probe, BreakerTransition(from: .open, to: .halfOpen, reason: "open period of \(currentOpenDuration.brief) over"))
    case .halfOpen(let inFlight, let successes, let lastProbeAt):
      let inFlight = probesInFlight(inFlight, lastProbeAt: lastProbeAt, now: now)
      guard inFlight < probeLimit else { return (.rejected(retryAfter: .zero), nil) }
      phase = .halfOpen(probesInFlight: inFlight + 1, successes: successes, lastProbeAt: now)
      return (.probe, nil)
    }
  }

  /// Whether ``acquire(now:)`` would let a call through at `now` (without taking a probe
  /// slot): false while open or forced open, and while half-open with every slot taken.
  public func wouldAllow(now: Duration) -> Bool {
    switch phase {
    case .closed, .disabled: true
    case .forcedOpen: false
    case .open(let until): now >= until
    case .halfOpen(let inFlight, _, let lastProbeAt): probesInFlight(inFlight, lastProbeAt: lastProbeAt, now: now) < probeLimit
    }
  }

  /// Frees the probe slot of a call that was let through but abandoned without an outcome.
  /// Does nothing for other permits.
  public mutating func cancel(permit: BreakerPermit) {
    switch permit {
    case .allowed, .rejected:
      return
    case .probe:
      switch phase {
      case .halfOpen(let inFlight, let successes, let lastProbeAt):
        phase = .halfOpen(probesInFlight: max(0, inFlight - 1), successes: successes, lastProbeAt: lastProbeAt)
      case .closed, .open, .forcedOpen, .disabled:
        return
      }
    }
  }

  // MARK: Outcomes

  /// Records how a call that `permit` let through ended, `latency` after it started.
  /// Returns the transition it caused, if any.
  @discardableResult
  public mutating func record(_ outcome: CallOutcome, latency: Duration, permit: BreakerPermit, now: Duration) -> BreakerTransition? {
    record(outcome, latency: latency, permit: permit, now: now, mayTrip: true)
  }

  /// `mayTrip: false` keeps a closed breaker closed when it would trip: it starts counting
  /// afresh and returns a closed → closed transition whose reason starts with
  /// `ejection capped: ` (``InstanceBreakers`` uses this for its ejection cap).
  mutating func record(_ outcome: CallOutcome, latency: Duration, permit: BreakerPermit, now: Duration, mayTrip: Bool) -> BreakerTransition? {
    let verdict = verdict(of: outcome, latency: latency)
    switch permit {
    case .rejected:
      return nil
    case .allowed:
      return recordCall(verdict, now: now, mayTrip: mayTrip)
    case .probe:
      return recordProbe(verdict, latency: latency, now: now, mayTrip: mayTrip)
    }
  }

  func verdict(of outcome: CallOutcome, latency: Duration) -> Verdict {
    let slow = latency > rules.slowCallDuration
    switch outcome {
    case .success: return .success(slow: slow)
    case .declaredError: return .ignored
    case .failure(let code): return rules.countedFailures.contains(code) ? .failure(code, slow: slow) : .ignored
    }
  }

  private mutating func recordCall(_ verdict: Verdict, now: Duration, mayTrip: Bool) -> BreakerTransition? {
    switch phase {
    case .closed:
      break
    case .open, .halfOpen, .forcedOpen, .disabled:
      return nil
    }
    switch verdict {
    case .ignored:
      return nil
    case .success(let slow):
      consecutiveFailureCount = 0
      window.record(failure: false, slow: slow, now: now)
    case .failure(_, let slow):
      consecutiveFailureCount += 1
      window.record(failure: true, slow: slow, now: now)
    }
    guard let reason = tripReason(now: now) else { return nil }
    window.reset()
    consecutiveFailureCount = 0
    guard mayTrip else {
      return BreakerTransition(from: .closed, to: .closed, reason: "ejection capped: \(reason)")
    }
    phase = .open(until: now + currentOpenDuration)
    return BreakerTransition(from: .closed, to: .open, reason: reason)
  }

  private mutating func recordProbe(_ verdict: Verdict, latency: Duration, now: Duration, mayTrip: Bool) -> BreakerTransition? {
    switch phase {
    case .closed:
      return recordCall(verdict, now: now, mayTrip: mayTrip)
    case .open, .forcedOpen, .disabled:
      return nil
    case .halfOpen(let inFlight, let successes, let lastProbeAt):
      let remaining = max(0, inFlight - 1)
      switch verdict {
      case .ignored:
        phase = .halfOpen(probesInFlight: remaining, successes: successes, lastProbeAt: lastProbeAt)
        return nil
      case .success(let slow) where slow && rules.slowCallRateThreshold != nil:
        return reopen(now: now, reason: "probe slow (\(latency.brief) > \(rules.slowCallDuration.brief))")
      case .success:
        let successes = successes + 1
        let needed = max(1, rules.halfOpenSuccesses)
        guard successes >= needed else {
          phase = .halfOpen(probesInFlight: remaining, successes: successes, lastProbeAt: lastProbeAt)
          return nil
        }
        close()
        return BreakerTransition(from: .halfOpen, to: .closed, reason: needed == 1 ? "probe succeeded" : "\(needed) probes succeeded")
      case .failure(let code, _):
        return reopen(now: now, reason: "probe failed (\(code))")
      }
    }
  }

  /// Why the closed breaker should trip now, if it should.
  private mutating func tripReason(now: Duration) -> String? {
    if let limit = rules.consecutiveFailures, limit > 0, consecutiveFailureCount >= limit {
      return consecutiveFailureCount == 1 ? "1 consecutive failure" : "\(consecutiveFailureCount) consecutive failures"
    }
    let counts = window.counts(now: now)
    guard counts.total > 0, counts.total >= rules.minimumRequests else { return nil }
    let failureRate = Double(counts.failures) * 100 / Double(counts.total)
    if counts.failures > 0, failureRate >= rules.failureRateThreshold {
      return "failure rate \(Percent.format(failureRate))% ≥ \(Percent.format(rules.failureRateThreshold))% over \(counts.total) calls"
    }
    if let threshold = rules.slowCallRateThreshold {
      let slowRate = Double(counts.slow) * 100 / Double(counts.total)
      if counts.slow > 0, slowRate >= threshold {
        return "slow-call rate \(Percent.format(slowRate))% ≥ \(Percent.format(threshold))% over \(counts.total) calls"
          + " (slower than \(rules.slowCallDuration.brief))"
      }
    }
    return nil
  }

  private mutating func reopen(now: Duration, reason: String) -> BreakerTransition {
    let cap = max(rules.maxOpenDuration, rules.openDuration)
    let multiplier = rules.openDurationMultiplier.isFinite ? max(1, rules.openDurationMultiplier) : 1
    let grown = currentOpenDuration * multiplier
    currentOpenDuration = grown > cap ? cap : grown
    phase = .open(until: now + currentOpenDuration)
    return BreakerTransition(from: .halfOpen, to: .open, reason: "\(reason); open for \(currentOpenDuration.brief)")
  }

  private mutating func close() {
    phase = .closed
    window.reset()
    consecutiveFailureCount = 0
    currentOpenDuration = rules.openDuration
  }

  private var probeLimit: Int { max(1, rules.halfOpenProbes) }

  /// Probes in flight, counting none when every slot has been held for a whole open
  /// duration since the newest probe started (their outcomes were lost).
  private func probesInFlight(_ inFlight: Int, lastProbeAt: Duration, now: Duration) -> Int {
    inFlight >= probeLimit && now - lastProbeAt >= currentOpenDuration ? 0 : inFlight
  }

  // MARK: Rules

  /// Applies new rules. The state and counts stay when the window and bucket count are
  /// unchanged (a fresh window otherwise); a new base open duration applies from the next
  /// open. A change of mode is a transition: to forcedOpen or disabled, or back to a
  /// closed breaker with a fresh window when the mode returns to automatic.
  @discardableResult
  public mutating func update(rules newRules: BreakerRules) -> BreakerTransition? {
    let old = rules
    rules = newRules
    if old.window != newRules.window || old.buckets != newRules.buckets {
      window = RollingWindow(window: newRules.window, buckets: newRules.buckets)
    }
    if old.openDuration != newRules.openDuration {
      currentOpenDuration = newRules.openDuration
    } else {
      let cap = max(newRules.maxOpenDuration, newRules.openDuration)
      if currentOpenDuration > cap { currentOpenDuration = cap }
    }
    guard old.mode != newRules.mode else { return nil }
    let from = state
    let reason: String
    switch newRules.mode {
    case .forcedOpen:
      phase = .forcedOpen
      reason = "forced open by rules"
    case .disabled:
      phase = .disabled
      reason = "disabled by rules"
    case .automatic:
      close()
      reason = "automatic mode restored"
    }
    return from == state ? nil : BreakerTransition(from: from, to: state, reason: reason)
  }

  private static func phase(for mode: BreakerRules.Mode) -> Phase {
    switch mode {
    case .automatic: .closed
    case .forcedOpen: .forcedOpen
    case .disabled: .disabled
    }
  }
}
