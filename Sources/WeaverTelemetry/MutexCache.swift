import Synchronization

extension Mutex {
  /// The value kept for `key`, made by `make` and kept the first time it is asked for:
  /// looked up under the lock, made outside it (making may be slow), and the first one kept
  /// wins when two callers race.
  func value<Key: Hashable & Sendable, Element: Sendable>(for key: Key, orMake make: () -> Element) -> Element where Value == [Key: Element] {
    if let value = withLock({ $0[key] }) { return value }
    let made = make()
    return withLock { values in
      if let value = values[key] { return value }
      values[key] = made
      return made
    }
  }
}
