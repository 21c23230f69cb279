import Synchronization

/// Reads many waiters need at once, done once: when a release wakes a thousand blocking
/// queries on one namespace, the first starts the read and the rest await the same one.
/// A waiter woken by revision R takes a shared result only if it was read at R or later
/// (one started before R could miss the change); else it reads for itself.
final class SharedReads<Key: Hashable & Sendable, Value: Sendable>: Sendable {
  private let inFlight = Mutex<[Key: Task<(Value, Int64), any Error>]>([:])

  /// The value for `key` read at `atLeast` or later; `read` returns the value and the
  /// revision it was read at.
  func value(for key: Key, atLeast revision: Int64, _ read: @escaping @Sendable () async throws -> (Value, Int64)) async throws -> Value {
    let (task, mine) = inFlight.withLock { inFlight -> (Task<(Value, Int64), any Error>, Bool) in
      if let running = inFlight[key] { return (running, false) }
      let task = Task { try await read() }
      inFlight[key] = task
      return (task, true)
    }
    let result: (Value, Int64)
    do {
      result = try await task.value
    } catch {
      if mine { forget(key, task) }
      throw error
    }
    if mine { forget(key, task) }
    if result.1 >= revision { return result.0 }
    return try await read().0
  }

  private func forget(_ key: Key, _ task: Task<(Value, Int64), any Error>) {
    inFlight.withLock { inFlight in
      if inFlight[key] == task { inFlight[key] = nil }
    }
  }
}
