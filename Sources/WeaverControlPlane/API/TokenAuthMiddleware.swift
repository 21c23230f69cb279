import HTTPTypes
import Hummingbird

/// Bearer tokens: writes (every method but GET and HEAD) need one of `tokens`; reads too
/// when `protectReads`. Tokens are compared in constant time. No tokens configured: open.
struct TokenAuthMiddleware: RouterMiddleware {
  typealias Context = ControlPlaneRequestContext

  let tokens: [String]
  let protectReads: Bool

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    let isRead = request.method == .get || request.method == .head
    guard !tokens.isEmpty, !isRead || protectReads, !Self.isOpen(request.uri.path) else { return try await next(request, context) }
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
      throw Self.refusal("a bearer token is required (Authorization: Bearer TOKEN)")
    }
    guard ConstantTime.matchesAny(String(header.dropFirst("Bearer ".count)), tokens) else { throw Self.refusal("the bearer token is not valid") }
    return try await next(request, context)
  }

  /// Liveness stays open, for load balancers and orchestrators; Apollo's client API has
  /// its own auth (access keys), since Apollo clients send no bearer token; the console has
  /// its own (a signed-in session, ``ConsoleAuthMiddleware``), since browsers' forms send none.
  static func isOpen(_ path: String) -> Bool {
    path == "/v1/health" || path == "/console" || path.hasPrefix("/console/") || path == "/notifications/v2" || path == "/services/config" || path.hasPrefix("/configs/")
      || path.hasPrefix("/configfiles/")
  }

  static func refusal(_ message: String) -> APIError {
    var error = APIError(.unauthorized, "unauthenticated", message)
    error.headers[.wwwAuthenticate] = "Bearer"
    return error
  }
}

/// Comparison whose time does not depend on where two byte strings differ.
enum ConstantTime {
  /// Whether `offered` is one of `tokens`. Every token is compared in full, whatever
  /// matched: the time taken tells nothing.
  static func matchesAny(_ offered: String, _ tokens: [String]) -> Bool {
    let bytes = Array(offered.utf8)
    var matched = false
    for token in tokens where equal(bytes, Array(token.utf8)) { matched = true }
    return matched
  }

  static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    for index in 0..<max(a.count, b.count) {
      difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
    }
    return difference == 0 && a.count == b.count
  }
}
