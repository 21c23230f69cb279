import Synchronization

/// A first-come-first-served lock for async code: one holder at a time, waiters resumed in
/// the order they came. (An actor would not do: it lets another call in at every `await`
/// inside a transaction.)
final class AsyncSerialLock: Sendable {
  private struct State {
    var locked = false
    var waiters: [CheckedContinuation<Void, Never>] = []
    var head = 0
  }

  private let state = Mutex(State())

  /// Runs `body` holding the lock.
  func withLock<T, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    let acquired = state.withLock { state in
      if state.locked { return false }
      state.locked = true
      return true
    }
    if acquired { return }
    await withCheckedContinuation { continuation in
      let resumeNow = state.withLock { state in
        // Released between the check above and now: take it.
        if !state.locked {
          state.locked = true
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if resumeNow { continuation.resume() }
    }
  }

  private func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard state.head < state.waiters.count else {
        state.locked = false
        state.waiters.removeAll(keepingCapacity: true)
        state.head = 0
        return nil
      }
      let next = state.waiters[state.head]
      state.head += 1
      return next  // the lock passes straight to it
    }
    next?.resume()
  }
}
