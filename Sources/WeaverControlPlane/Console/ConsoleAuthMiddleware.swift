import HTTPTypes
import Hummingbird

/// The console's own auth, in place of the API's bearer tokens (a browser's forms cannot
/// send them): a signed-in session (see ``ConsoleSessions``) may write, and read when reads
/// are protected; anyone else is sent to the sign-in page. A write must come from the
/// console's own pages (`Origin`, when the browser sends it, is this host), on top of the
/// session cookie being SameSite=Strict. Sets the request's actor to the session's user.
struct ConsoleAuthMiddleware: RouterMiddleware {
  typealias Context = ControlPlaneRequestContext

  let sessions: ConsoleSessions
  let tokensRequired: Bool
  let protectReads: Bool

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var context = context
    let isRead = request.method == .get || request.method == .head
    if !isRead, let origin = request.headers[.origin], let host = request.head.authority,
      origin != "http://\(host)" && origin != "https://\(host)"
    {
      throw APIError(.forbidden, "forbidden", "a console change must come from the console's own pages (Origin \(origin) is not this host)")
    }
    let user = request.cookies[ConsoleSessions.cookieName].flatMap { sessions.user($0.value) }
    if let user {
      context.actor = user
      context.consoleUser = user
    }
    let path = request.uri.path
    guard user == nil, tokensRequired, !isRead || protectReads, !Self.isOpen(path) else { return try await next(request, context) }
    let back = isRead ? request.uri.description : (request.headers[.referer].flatMap(ConsoleLinks.refererPath) ?? "/console")
    return ConsoleResponses.redirect(to: "/console/login?next=" + ConsoleLinks.query(back))
  }

  /// Signing in, and the style sheet and script, need no session.
  static func isOpen(_ path: String) -> Bool {
    path == "/console/login" || path.hasPrefix("/console/assets/")
  }
}
