import Foundation
import Hummingbird
import WeaverControlPlaneModels

/// `/console/config…`: namespaces per app and cluster; edit with validation, publish with
/// a comment, history, a side-by-side diff of any two releases, rollback, and gray release
/// (IPs, labels, percentage) then promote or abandon.
struct ConfigPages {
  let config: ConfigCenter
  let changes: AuditedChanges

  struct NamespaceRow {
    var app, cluster, namespace, format, href: String
    var latest: Int
    var hasDraft, hasGray: Bool
  }

  struct ListView {
    var query: String
    var rows: [NamespaceRow]
  }

  struct Actions {
    var edit, gray, promote, abandon, diff: String
  }

  struct CurrentView {
    var number: Int
    var author, createdAt, comment, content: String
  }

  struct GrayView {
    var number: Int
    var rule, base, content: String
    var actions: Actions
  }

  struct HistoryRow {
    var number: Int
    var kind, author, comment, createdAt, rollbackAction: String
    var isCurrent, isPrevious, canRollBack: Bool
  }

  struct FormatOption {
    var value: String
    var selected: Bool
  }

  struct NamespaceView {
    var app, cluster, namespace, format, editorText: String
    var current: CurrentView?
    var gray: GrayView?
    var hasDraft, hasReleases, formatChoice: Bool
    var formats: [FormatOption]
    var history: [HistoryRow]
    var actions: Actions
  }

  struct DiffRow {
    var kind, leftNumber, left, rightNumber, right: String
  }

  struct DiffView {
    var name, back, summary: String
    var from, to: Int
    var rows: [DiffRow]
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("config") { request, context in
      let query = request.uri.queryParameters["q"].map(String.init) ?? ""
      let rows = try await config.namespaces()
        .filter { query.isEmpty || "\($0.app)/\($0.cluster)/\($0.namespace)".localizedCaseInsensitiveContains(query) }
        .map {
          NamespaceRow(
            app: $0.app, cluster: $0.cluster, namespace: $0.namespace, format: $0.format.rawValue,
            href: ConsoleLinks.path("config", $0.app, $0.cluster, $0.namespace), latest: $0.latest, hasDraft: $0.hasDraft, hasGray: $0.hasGray)
        }
      let page = ConsolePage(
        title: "Config", section: "config", user: context.consoleUser, flash: ConsoleForms.flash(request), live: true,
        page: ListView(query: query, rows: rows))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "configs"))
    }
    console.get("config/new") { request, _ in
      let query = request.uri.queryParameters
      let names = ["app", "cluster", "namespace"].map { query[$0].map(String.init) ?? "" }
      let key = NamespaceKey(app: names[0], cluster: names[1], namespace: names[2])
      try key.validate()
      return ConsoleResponses.redirect(to: ConsoleLinks.path("config", key.app, key.cluster, key.namespace))
    }
    console.get("config/:app/:cluster/:namespace") { request, context in
      let namespace = try Self.namespace(context)
      let page = try await namespacePage(namespace, user: context.consoleUser, flash: ConsoleForms.flash(request))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "namespace"))
    }
    console.post("config/:app/:cluster/:namespace") { request, context in
      let namespace = try Self.namespace(context)
      let form = try await ConsoleForms.decode(EditForm.self, request, context)
      let format = try form.format.flatMap { text in
        guard let format = ConfigFormat(rawValue: text) else { throw APIError.invalid("format must be one of properties, yaml, json, text") }
        return format
      }
      return try await answer(namespace, context) {
        _ = try await changes.saveDraft(namespace, ConfigDraft(format: format, content: Self.lineEndings(form.content)), actor: context.actor)
        guard form.intent == "publish" else { return "Draft saved." }
        let release = try await changes.publish(namespace, PublishRequest(author: context.actor, comment: form.comment))
        return "Published release \(release.number)."
      }
    }
    console.post("config/:app/:cluster/:namespace/rollback") { request, context in
      let namespace = try Self.namespace(context)
      let form = try await ConsoleForms.decode(RollbackForm.self, request, context)
      return try await answer(namespace, context) {
        let release = try await changes.rollback(namespace, RollbackRequest(to: form.to, author: context.actor, comment: form.comment))
        return "Rolled back: release \(release.number) has release \(release.rolledBackTo ?? 0)'s content."
      }
    }
    console.post("config/:app/:cluster/:namespace/gray") { request, context in
      let namespace = try Self.namespace(context)
      let form = try await ConsoleForms.decode(GrayForm.self, request, context)
      return try await answer(namespace, context) {
        let gray = try await changes.publishGray(namespace, GrayPublishRequest(rule: try form.rule(), author: context.actor, comment: form.comment))
        return "Gray release \(gray.release.number) published."
      }
    }
    for (verb, done) in [("promote", "Gray release promoted."), ("abandon", "Gray release abandoned.")] {
      console.post("config/:app/:cluster/:namespace/gray/\(verb)") { request, context in
        let namespace = try Self.namespace(context)
        let form = try await ConsoleForms.decode(CommentForm.self, request, context)
        return try await answer(namespace, context) {
          let request = PublishRequest(author: context.actor, comment: form.comment)
          if verb == "promote" { _ = try await changes.promoteGray(namespace, request) } else { _ = try await changes.abandonGray(namespace, request) }
          return done
        }
      }
    }
    console.get("config/:app/:cluster/:namespace/diff") { request, context in
      let namespace = try Self.namespace(context)
      let query = request.uri.queryParameters
      guard let from = query["from"].flatMap({ Int(String($0)) }), let to = query["to"].flatMap({ Int(String($0)) }) else {
        throw APIError.invalid("a diff needs from= and to= release numbers")
      }
      let old = try await config.release(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, number: from)
      let new = try await config.release(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, number: to)
      let rows = LineDiff.rows(old.content, new.content)
      let changed = rows.count { $0.kind != .same }
      let view = DiffView(
        name: namespace.target, back: ConsoleLinks.path("config", namespace.app, namespace.cluster, namespace.namespace),
        summary: changed == 0 ? "The two releases have the same content." : changed == 1 ? "1 line differs." : "\(changed) lines differ.", from: from, to: to,
        rows: rows.map {
          DiffRow(
            kind: $0.kind.rawValue, leftNumber: $0.leftNumber.map(String.init) ?? "", left: $0.left, rightNumber: $0.rightNumber.map(String.init) ?? "",
            right: $0.right)
        })
      let page = ConsolePage(title: "Diff \(from)→\(to)", section: "config", user: context.consoleUser, page: view)
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "diff"))
    }
  }

  struct EditForm: Decodable {
    var content: String
    var format: String?
    var comment: String?
    var intent: String?
  }

  struct RollbackForm: Decodable {
    var to: Int?
    var comment: String?
  }

  struct CommentForm: Decodable {
    var comment: String?
  }

  struct GrayForm: Decodable {
    var ips: String?
    var labels: String?
    var percentage: String?
    var comment: String?

    func rule() throws -> GrayRule {
      let ips = (ips ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
      var labelMap: [String: String] = [:]
      for pair in (labels ?? "").split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty else { throw APIError.invalid("labels are key=value, separated by commas; got '\(pair)'") }
        labelMap[parts[0]] = parts[1]
      }
      let trimmed = (percentage ?? "").trimmingCharacters(in: .whitespaces)
      let percent = try trimmed.isEmpty ? nil : Int(trimmed) ?? { throw APIError.invalid("percentage must be a whole number 0–100") }()
      return GrayRule(ips: ips.isEmpty ? nil : ips, labels: labelMap.isEmpty ? nil : labelMap, percentage: percent)
    }
  }

  /// Runs a change; on success back to the namespace's page with what was done, on a
  /// refusal the page again with why (and what was typed is in the draft, if it was saved).
  private func answer(
    _ namespace: AuditedChanges.Namespace, _ context: ControlPlaneRequestContext, _ change: () async throws -> String
  ) async throws -> Response {
    let link = ConsoleLinks.path("config", namespace.app, namespace.cluster, namespace.namespace)
    do {
      let done = try await change()
      return ConsoleResponses.redirect(to: link + "?done=" + ConsoleLinks.query(done))
    } catch {
      let apiError = APIError.from(error)
      guard apiError.status.code < 500 else { throw error }
      var page = try await namespacePage(namespace, user: context.consoleUser, flash: nil)
      page.error = apiError.message
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "namespace"), status: apiError.status)
    }
  }

  func namespacePage(_ namespace: AuditedChanges.Namespace, user: String?, flash: String?) async throws -> ConsolePage {
    let (app, cluster, name) = (namespace.app, namespace.cluster, namespace.namespace)
    let state = try await config.stateIfExists(app: app, cluster: cluster, namespace: name)
    let history = state == nil ? [] : try await config.history(app: app, cluster: cluster, namespace: name)
    let link = ConsoleLinks.path("config", app, cluster, name)
    let actions = Actions(edit: link, gray: link + "/gray", promote: link + "/gray/promote", abandon: link + "/gray/abandon", diff: link + "/diff")
    let current = state?.current
    let mainNumbers = history.filter { $0.kind != "gray" }.map(\.number)
    let previous = mainNumbers.first { $0 < (current?.number ?? 0) }
    let rows = history.map { release in
      HistoryRow(
        number: release.number, kind: release.kind, author: release.author, comment: release.comment, createdAt: release.createdAt,
        rollbackAction: link + "/rollback", isCurrent: release.number == current?.number, isPrevious: release.number == previous,
        canRollBack: release.kind != "gray" && release.number < (current?.number ?? 0))
    }
    let format = state?.format ?? .properties
    let view = NamespaceView(
      app: app, cluster: cluster, namespace: name, format: format.rawValue, editorText: state?.draft ?? current?.content ?? "",
      current: current.map { CurrentView(number: $0.number, author: $0.author, createdAt: $0.createdAt, comment: $0.comment, content: $0.content) },
      gray: state?.gray.map {
        GrayView(number: $0.release.number, rule: Self.describe($0.rule), base: $0.base.map(String.init) ?? "none", content: $0.release.content, actions: actions)
      },
      hasDraft: state?.draft != nil, hasReleases: !history.isEmpty, formatChoice: history.isEmpty,
      formats: ConfigFormat.allCases.map { FormatOption(value: $0.rawValue, selected: $0 == format) }, history: rows, actions: actions)
    return ConsolePage(title: namespace.target, section: "config", user: user, flash: flash, page: view)
  }

  static func describe(_ rule: GrayRule) -> String {
    var parts: [String] = []
    if let ips = rule.ips, !ips.isEmpty { parts.append("IPs " + ips.joined(separator: ", ")) }
    if let labels = rule.labels, !labels.isEmpty { parts.append("labels " + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
    if let percentage = rule.percentage { parts.append("\(percentage) % of clients") }
    return parts.isEmpty ? "no client" : parts.joined(separator: "; ")
  }

  static func namespace(_ context: ControlPlaneRequestContext) throws -> AuditedChanges.Namespace {
    AuditedChanges.Namespace(app: try context.segment("app"), cluster: try context.segment("cluster"), namespace: try context.segment("namespace"))
  }

  /// Browsers send a textarea's lines with CRLF; the config center keeps LF.
  static func lineEndings(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n")
  }
}
