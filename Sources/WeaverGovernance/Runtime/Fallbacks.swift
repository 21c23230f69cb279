import Synchronization
import WeaverCore

/// Fallback values a degrade rule can name (`degrade: {mode: fallback, fallback: emptyFeed}`):
/// registered in code, where their types are known.
///
/// ```swift
/// let fallbacks = Fallbacks()
/// fallbacks.register("emptyFeed") { (_: FeedService.GetFeedArgs) in FeedService.GetFeedResult(success: .init(items: [])) }
/// ```
public final class Fallbacks: Sendable {
  private let entries = Mutex<[String: @Sendable (any Sendable) -> (any Sendable)?]>([:])

  public init() {}

  /// Registers `make` under `name`: given the call's request, it returns the response.
  public func register<Request: Sendable, Response: Sendable>(_ name: String, _ make: @escaping @Sendable (Request) -> Response) {
    entries.withLock { entries in
      entries[name] = { request in (request as? Request).map(make) }
    }
  }

  /// The fallback named `name` for this request, if one is registered for these types.
  func value<Request: Sendable, Response: Sendable>(_ name: String, for request: Request, as: Response.Type) -> Response? {
    let make = entries.withLock { $0[name] }
    return make?(request) as? Response
  }
}
