import Synchronization
import WeaverCore
import WeaverThrift

/// The Swift implementation of the interop service.
final class InteropHandler: InteropService.ServiceProtocol {
  let notifications = Mutex<[String]>([])
  /// `slow` calls that were cancelled (their deadline passed, or the client went away).
  let cancelledSlowCalls = Mutex(0)
  /// Every `slow` call arrives here; `slow(millis: -1)` then waits until it opens.
  let gate = TestGate()

  func echo(payload: Payload) async throws -> Payload { payload }

  func add(a: Int64, b: Int64) async throws -> Int64 { a &+ b }

  func fail(code: Int32) async throws {
    if code < 0 { throw InteropTestError.undeclared }
    throw Oops(code: code, message: "failed with \(code)")
  }

  /// Sleeps `millis`; with -1, waits until the test opens ``gate``.
  func slow(millis: Int32) async throws -> String {
    gate.arrive()
    if millis < 0 {
      await gate.pass()
      return "opened"
    }
    do {
      try await Task.sleep(for: .milliseconds(Int(millis)))
    } catch {
      cancelledSlowCalls.withLock { $0 += 1 }
      throw error
    }
    return "slept \(millis)"
  }

  func notify(message: String) async throws {
    notifications.withLock { $0.append(message) }
  }

  /// The call's metadata, flattened: `persist:` and `transit:` prefixes, plus the caller.
  func seen() async throws -> [String: String] {
    guard let context = CallContext.current else { return ["context": "none"] }
    var result: [String: String] = ["service": context.service, "method": context.method]
    for (key, value) in context.metadata.persistent { result["persist:" + key] = value }
    for (key, value) in context.metadata.transientUpstream { result["transit:" + key] = value }
    if let caller = context.caller { result["caller"] = caller }
    if let remaining = context.remaining() { result["deadline"] = remaining > .zero ? "set" : "passed" }
    return result
  }
}

struct SecondHandler: SecondService.ServiceProtocol {
  func second(text: String) async throws -> String { "second:" + text }
}

enum InteropTestError: Error {
  case undeclared
}
