import Foundation
import Hummingbird
import WeaverControlPlaneModels
import WeaverGovernance

/// `/console/governance…`: a service's rule set edited as YAML, checked by the same
/// validator the runtime uses with each problem shown at its line, published through the
/// config center (its `governance` namespace), and the effective rules per method.
struct GovernancePages {
  let config: ConfigCenter
  let changes: AuditedChanges

  static let namespace = ConfigContent.governanceNamespace

  /// What a service with no rules starts from: valid as written.
  static let starter = """
    circuitBreaker:
      failureRateThreshold: 60%      # open when 60 % or more of the calls fail
      minimumRequestThreshold: 20    # at least 20 calls in the 10 s window
      waitDurationInOpenState: 30s   # then half-open trials
    retry:
      maxAttempts: 2
    timeout: 1s

    """

  struct Row {
    var app, cluster, href: String
    var latest: Int
    var hasDraft: Bool
  }

  struct ListView {
    var rows: [Row]
  }

  struct CurrentView {
    var number: Int
    var author, createdAt, comment, configLink: String
  }

  struct ProblemView {
    var line, column: Int
    var path, reason: String
  }

  struct LineView {
    var number: Int
    var text: String
    var marked: Bool
    var notes: [String]
  }

  struct EffectiveView {
    var scope, explained: String
  }

  struct EditorView {
    var app, cluster, action, text: String
    var current: CurrentView?
    var problems: [ProblemView]
    var hasProblems, singleProblem, checked, hasEffective: Bool
    var problemCount: Int
    var lines: [LineView]
    var effective: [EffectiveView]
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("governance") { request, context in
      let rows = try await config.namespaces().filter { $0.namespace == Self.namespace }.map {
        Row(app: $0.app, cluster: $0.cluster, href: ConsoleLinks.path("governance", $0.app, $0.cluster), latest: $0.latest, hasDraft: $0.hasDraft)
      }
      let page = ConsolePage(
        title: "Governance", section: "governance", user: context.consoleUser, flash: ConsoleForms.flash(request), live: true, page: ListView(rows: rows))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "governanceList"))
    }
    console.get("governance/new") { request, _ in
      let query = request.uri.queryParameters
      let key = NamespaceKey(app: query["app"].map(String.init) ?? "", cluster: query["cluster"].map(String.init) ?? "", namespace: Self.namespace)
      try key.validate()
      return ConsoleResponses.redirect(to: ConsoleLinks.path("governance", key.app, key.cluster))
    }
    console.get("governance/:app/:cluster") { request, context in
      let namespace = try Self.names(context)
      let state = try await state(namespace)
      let text = state?.draft ?? state?.current?.content ?? Self.starter
      let view = try await editor(namespace, state: state, text: text, problems: [], checked: false)
      let page = ConsolePage(title: "Rules of \(namespace.app)", section: "governance", user: context.consoleUser, flash: ConsoleForms.flash(request), page: view)
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "governance"))
    }
    console.post("governance/:app/:cluster") { request, context in
      let namespace = try Self.names(context)
      let form = try await ConsoleForms.decode(RulesForm.self, request, context)
      let text = ConfigPages.lineEndings(form.content)
      var problems: [RuleProblem] = []
      do {
        _ = try RuleSet(service: namespace.app, parsing: text, file: namespace.target)
      } catch let error as RuleSetError {
        problems = error.problems
      }
      if problems.isEmpty && form.intent == "publish" {
        let format: ConfigFormat = text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") ? .json : .yaml
        _ = try await changes.saveDraft(namespace, ConfigDraft(format: format, content: text), actor: context.actor)
        let release = try await changes.publish(namespace, PublishRequest(author: context.actor, comment: form.comment))
        let done = "Published rules release \(release.number): governed processes of \(namespace.app) apply it now."
        return ConsoleResponses.redirect(to: ConsoleLinks.path("governance", namespace.app, namespace.cluster) + "?done=" + ConsoleLinks.query(done))
      }
      let view = try await editor(namespace, state: try await state(namespace), text: text, problems: problems, checked: problems.isEmpty)
      let page = ConsolePage(title: "Rules of \(namespace.app)", section: "governance", user: context.consoleUser, page: view)
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "governance"), status: problems.isEmpty ? .ok : .badRequest)
    }
  }

  struct RulesForm: Decodable {
    var content: String
    var comment: String?
    var intent: String?
  }

  func state(_ namespace: AuditedChanges.Namespace) async throws -> NamespaceState? {
    try await config.stateIfExists(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace)
  }

  func editor(
    _ namespace: AuditedChanges.Namespace, state: NamespaceState?, text: String, problems: [RuleProblem], checked: Bool
  ) async throws -> EditorView {
    let byLine = Dictionary(grouping: problems, by: \.location.line)
    let lines = LineDiff.lines(text).enumerated().map { index, line in
      let notes = (byLine[index + 1] ?? []).map { "column \($0.location.column): \($0.path.isEmpty ? "" : "\($0.path): ")\($0.reason)" }
      return LineView(number: index + 1, text: line, marked: !notes.isEmpty, notes: notes)
    }
    // The rules shown: the ones just checked if valid, else the ones in force.
    let shown = checked ? text : state?.current?.content
    let effective = shown.flatMap { try? RuleSet(service: namespace.app, parsing: $0, file: namespace.target) }.map { rules in
      [EffectiveView(scope: "every method (service level)", explained: RuleReference.explain(rules.serviceRules))]
        + rules.methods.sorted { $0.key < $1.key }.map { EffectiveView(scope: $0.key, explained: RuleReference.explain($0.value)) }
    } ?? []
    return EditorView(
      app: namespace.app, cluster: namespace.cluster, action: ConsoleLinks.path("governance", namespace.app, namespace.cluster), text: text,
      current: state?.current.map {
        CurrentView(
          number: $0.number, author: $0.author, createdAt: $0.createdAt, comment: $0.comment,
          configLink: ConsoleLinks.path("config", namespace.app, namespace.cluster, namespace.namespace))
      },
      problems: problems.map { ProblemView(line: $0.location.line, column: $0.location.column, path: $0.path, reason: $0.reason) },
      hasProblems: !problems.isEmpty, singleProblem: problems.count == 1, checked: checked, hasEffective: !effective.isEmpty,
      problemCount: problems.count, lines: lines, effective: effective)
  }

  static func names(_ context: ControlPlaneRequestContext) throws -> AuditedChanges.Namespace {
    AuditedChanges.Namespace(app: try context.segment("app"), cluster: try context.segment("cluster"), namespace: namespace)
  }
}
