import Foundation
import Hummingbird

/// The web console under `/console`, on the control plane's own port: services and
/// instances (isolate, re-admit), config (edit, publish, history, diff, rollback, gray),
/// governance rules (edited as YAML, problems at their lines, effective rules), the audit
/// log. Server-rendered; pages work without script, and a small script keeps read-only
/// pages live. Writes need a signed-in session when the server has tokens (see
/// ``ConsoleAuthMiddleware``).
struct Console {
  let registry: Registry
  let config: ConfigCenter
  let audit: AuditLog
  let telemetry: TelemetryStore
  let ownPort: @Sendable () -> Int
  let changes: AuditedChanges
  let sessions: ConsoleSessions
  let tokens: [String]
  let protectReads: Bool
  let secureCookies: Bool

  func add(to router: Router<ControlPlaneRequestContext>) {
    router.get("console") { _, _ in ConsoleResponses.redirect(to: "/console/services") }
    let console = router.group("console")
      .add(middleware: ConsoleErrorMiddleware())
      .add(middleware: ConsoleAuthMiddleware(sessions: sessions, tokensRequired: !tokens.isEmpty, protectReads: protectReads))
    console.get("assets/console.css") { _, _ in ConsoleResponses.asset(ConsoleAssets.css, contentType: "text/css; charset=utf-8") }
    console.get("assets/console.js") { _, _ in ConsoleResponses.asset(ConsoleAssets.js, contentType: "text/javascript; charset=utf-8") }
    addSignIn(to: console)
    ServicesPages(registry: registry, changes: changes).add(to: console)
    ConfigPages(config: config, changes: changes).add(to: console)
    GovernancePages(config: config, changes: changes).add(to: console)
    AuditPage(audit: audit).add(to: console)
    TrafficPage(telemetry: telemetry, registry: registry, ownPort: ownPort).add(to: console)
    RequestPages(telemetry: telemetry).add(to: console)
    ConsoleEvents(store: config.store).add(to: console)
  }

  struct LoginView {
    var next, name: String
    var tokensRequired: Bool
  }

  struct LoginForm: Decodable {
    var name: String
    var token: String?
    var next: String?
  }

  private func addSignIn(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("login") { request, context in
      let next = request.uri.queryParameters["next"].flatMap { ConsoleLinks.localPath(String($0)) } ?? "/console/services"
      return loginPage(next: next, name: context.consoleUser ?? "", error: nil, status: .ok)
    }
    console.post("login") { request, context in
      let form = try await ConsoleForms.decode(LoginForm.self, request, context)
      let next = form.next.flatMap(ConsoleLinks.localPath) ?? "/console/services"
      let name = form.name.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !name.isEmpty, name.utf8.count <= 64, !name.contains(where: \.isNewline) else {
        return loginPage(next: next, name: "", error: "Give a name of 1–64 characters: it goes in the audit log.", status: .badRequest)
      }
      if !tokens.isEmpty {
        guard ConstantTime.matchesAny(form.token ?? "", tokens) else { return loginPage(next: next, name: name, error: "That token is not one of this server's.", status: .unauthorized) }
      }
      var response = ConsoleResponses.redirect(to: next)
      response.setCookie(
        Cookie(
          name: ConsoleSessions.cookieName, value: sessions.open(user: name), maxAge: Int(ConsoleSessions.lifetime.components.seconds), path: "/console",
          secure: secureCookies, httpOnly: true, sameSite: .strict))
      return response
    }
    console.post("logout") { request, _ in
      if let id = request.cookies[ConsoleSessions.cookieName]?.value { sessions.close(id) }
      var response = ConsoleResponses.redirect(to: "/console/login")
      response.setCookie(Cookie(name: ConsoleSessions.cookieName, value: "", maxAge: 0, path: "/console", secure: secureCookies, httpOnly: true, sameSite: .strict))
      return response
    }
  }

  private func loginPage(next: String, name: String, error: String?, status: HTTPResponse.Status) -> Response {
    let page = ConsolePage(
      title: "Sign in", section: "", user: nil, error: error, page: LoginView(next: next, name: name, tokensRequired: !tokens.isEmpty))
    return ConsoleResponses.html(ConsoleTemplates.render(page, template: "login"), status: status)
  }
}

/// A console request that fails gets an HTML page with the reason and the status the API
/// would give (the error-to-status mapping is the API's, ``APIError/from(_:)``).
struct ConsoleErrorMiddleware: RouterMiddleware {
  typealias Context = ControlPlaneRequestContext

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    do {
      return try await next(request, context)
    } catch {
      let apiError = APIError.caught(error, request, context)
      struct View { var status: String }
      let page = ConsolePage(
        title: "\(apiError.status.code)", section: "", user: context.consoleUser, error: apiError.message,
        page: View(status: "\(apiError.status.code) \(apiError.status.reasonPhrase)"))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "error"), status: apiError.status)
    }
  }
}
