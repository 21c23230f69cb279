import Synchronization

/// The server-wide bound on calls in flight, shared by every connection.
final class CallsInFlightLimit: Sendable {
  private let limit: Int
  private let count = Atomic<Int>(0)

  init(_ limit: Int) {
    self.limit = limit
  }

  /// Counts a call in; false if the limit is reached.
  func reserve() -> Bool {
    guard count.wrappingAdd(1, ordering: .relaxed).oldValue < limit else {
      count.wrappingSubtract(1, ordering: .relaxed)
      return false
    }
    return true
  }

  func release() {
    count.wrappingSubtract(1, ordering: .relaxed)
  }
}
