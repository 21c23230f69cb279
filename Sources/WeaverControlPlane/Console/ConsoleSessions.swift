import Foundation
import Synchronization
import WeaverCore

/// Signed-in console users: a random session id in an HttpOnly, SameSite=Strict cookie
/// maps to the name the user gave (recorded in the audit log). In memory, per replica: a
/// restart signs everyone out. Bounded: at most ``maxSessions``, each for ``lifetime``.
final class ConsoleSessions: Sendable {
  static let cookieName = "weaver_session"
  static let lifetime = Duration.seconds(12 * 3600)
  static let maxSessions = 10_000

  struct Session: Sendable {
    var user: String
    var expires: Duration
  }

  private let time: TimeSource
  private let sessions = Mutex<[String: Session]>([:])

  init(time: TimeSource = .continuous) {
    self.time = time
  }

  /// A new session for `user`; its id goes in the cookie.
  func open(user: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let id = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.map { String(repeating: "0", count: 16 - $0.count) + $0 }.joined()
    let now = time.now()
    sessions.withLock { sessions in
      if sessions.count >= Self.maxSessions { sessions = sessions.filter { $0.value.expires > now } }
      if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires })?.key {
        sessions.removeValue(forKey: oldest)
      }
      sessions[id] = Session(user: user, expires: now + Self.lifetime)
    }
    return id
  }

  /// The user of a live session, if `id` is one.
  func user(_ id: String) -> String? {
    let now = time.now()
    return sessions.withLock { sessions in
      guard let session = sessions[id] else { return nil }
      guard session.expires > now else {
        sessions.removeValue(forKey: id)
        return nil
      }
      return session.user
    }
  }

  func close(_ id: String) {
    _ = sessions.withLock { $0.removeValue(forKey: id) }
  }
}
