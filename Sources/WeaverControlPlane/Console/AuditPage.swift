import Hummingbird
import WeaverControlPlaneModels

/// `/console/audit`: who changed what and when — publishes, rollbacks, gray releases, rule
/// edits, isolations — newest first, filterable.
struct AuditPage {
  let audit: AuditLog

  struct Row {
    var time, actor, action, target, detail, href: String
  }

  struct View {
    var query: String
    var rows: [Row]
    var limit: Int
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("audit") { request, context in
      let query = request.uri.queryParameters["q"].map(String.init) ?? ""
      let rows = try await audit.entries()
        .filter { entry in query.isEmpty || [entry.actor, entry.action, entry.target, entry.detail].contains { $0.localizedCaseInsensitiveContains(query) } }
        .map { Row(time: $0.time, actor: $0.actor, action: $0.action, target: $0.target, detail: $0.detail, href: Self.link($0)) }
      let page = ConsolePage(title: "Audit", section: "audit", user: context.consoleUser, live: true, page: View(query: query, rows: rows, limit: audit.limit))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "audit"))
    }
  }

  /// Where the target is shown: its namespace (or rules), or its service.
  static func link(_ entry: AuditEntry) -> String {
    let parts = entry.target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if parts.count == 3 {
      return parts[2] == ConfigContent.governanceNamespace ? ConsoleLinks.path("governance", parts[0], parts[1]) : ConsoleLinks.path("config", parts[0], parts[1], parts[2])
    }
    return ConsoleLinks.path("services", parts.first ?? "")
  }
}
