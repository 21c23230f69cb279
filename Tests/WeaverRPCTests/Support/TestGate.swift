import Synchronization

/// A gate handlers wait at until a test opens it; the test can wait until someone arrives,
/// so ordering is decided by the test and never by timing.
final class TestGate: Sendable {
  private struct State {
    var isOpen = false
    var arrived = 0
    var passers: [CheckedContinuation<Void, Never>] = []
    var arrivalWatchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// A call meant to arrive failed before it did: nobody waits for arrivals any more.
    var abandoned = false
  }

  private let state = Mutex(State())

  /// Records that a caller has arrived (whether or not it then waits).
  func arrive() {
    let ready = state.withLock { state in
      state.arrived += 1
      let ready = state.arrivalWatchers.filter { $0.count <= state.arrived }
      state.arrivalWatchers.removeAll { $0.count <= state.arrived }
      return ready
    }
    for watcher in ready { watcher.continuation.resume() }
  }

  /// Waits until the gate opens.
  func pass() async {
    await withCheckedContinuation { continuation in
      let resumeNow = state.withLock { state in
        if state.isOpen { return true }
        state.passers.append(continuation)
        return false
      }
      if resumeNow { continuation.resume() }
    }
  }

  /// Waits until `count` callers have arrived at the gate in all.
  func waitForArrivals(_ count: Int) async {
    await withCheckedContinuation { continuation in
      let arrivedAlready = state.withLock { state in
        if state.arrived >= count || state.abandoned { return true }
        state.arrivalWatchers.append((count, continuation))
        return false
      }
      if arrivedAlready { continuation.resume() }
    }
  }

  /// Lets every waiting and future caller through.
  func open() {
    let passers = state.withLock { state in
      state.isOpen = true
      defer { state.passers = [] }
      return state.passers
    }
    for passer in passers { passer.resume() }
  }

  /// Starts `call`, meant to reach this gate. When it fails before arriving (a connect that
  /// timed out on a loaded machine, say), waiting for arrivals ends, so the test goes on
  /// and fails with the call's error when it reads the task instead of hanging.
  func hold<Result: Sendable>(_ call: @escaping @Sendable () async throws -> Result) -> Task<Result, any Error> {
    Task {
      do {
        return try await call()
      } catch {
        let watchers = state.withLock { state in
          state.abandoned = true
          defer { state.arrivalWatchers = [] }
          return state.arrivalWatchers
        }
        for watcher in watchers { watcher.continuation.resume() }
        throw error
      }
    }
  }
}
