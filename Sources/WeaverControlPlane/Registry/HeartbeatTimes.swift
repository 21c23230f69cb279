import Synchronization
import WeaverCore

/// When this replica last heard from each instance (registration or heartbeat), for the
/// console's "last heartbeat". Kept in memory, not in the store: a heartbeat renews leases
/// and is deliberately not a write. Bounded: entries older than ``forgetAfter`` are dropped
/// as new ones come.
final class HeartbeatTimes: Sendable {
  /// An instance silent this long is long removed (the longest removal delay is far less).
  static let forgetAfter = Duration.seconds(3600)
  private let time: TimeSource
  private let state = Mutex<(times: [String: Duration], nextSweep: Duration)>(([:], .zero))

  init(time: TimeSource) {
    self.time = time
  }

  func heard(service: String, id: String) {
    let now = time.now()
    state.withLock { state in
      state.times[Self.key(service, id)] = now
      guard now >= state.nextSweep else { return }
      state.times = state.times.filter { now - $0.value < Self.forgetAfter }
      state.nextSweep = now + .seconds(60)
    }
  }

  func since(service: String, id: String) -> Duration? {
    let now = time.now()
    return state.withLock { $0.times[Self.key(service, id)] }.map { now - $0 }
  }

  func forget(service: String, id: String) {
    _ = state.withLock { $0.times.removeValue(forKey: Self.key(service, id)) }
  }

  private static func key(_ service: String, _ id: String) -> String { service + "\u{0}" + id }
}
