import Foundation
import Hummingbird
import WeaverControlPlaneModels

/// `/console/services` and `/console/services/{service}`: every service with its
/// instances, filterable; isolate and re-admit an instance.
struct ServicesPages {
  let registry: Registry
  let changes: AuditedChanges

  struct ServiceRow {
    var name: String
    var href: String
    var instances: Int
    var healthy: Int
    var unhealthy: Int
    var allHealthy: Bool
  }

  struct ServicesView {
    var query: String
    var rows: [ServiceRow]
  }

  struct InstanceRow {
    var id: String
    var anchor: String
    var address: String
    var `protocol`: String
    var placement: String
    var releaseTag: String
    var weight: Int
    var healthy: Bool
    var isolated: Bool
    var heartbeat: String
    var labels: String
    var isolationAction: String
  }

  struct Option {
    var value: String
    var label: String
    var selected: Bool
  }

  struct ServiceView {
    var service: String
    var selfLink: String
    var summary: String
    var protectionApplied: Bool
    var query: String
    var healthOptions: [Option]
    var rows: [InstanceRow]
  }

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("services") { request, context in
      let query = request.uri.queryParameters["q"].map(String.init) ?? ""
      let rows = try await registry.services()
        .filter { query.isEmpty || $0.service.localizedCaseInsensitiveContains(query) }
        .map {
          ServiceRow(
            name: $0.service, href: ConsoleLinks.path("services", $0.service), instances: $0.instances, healthy: $0.healthy,
            unhealthy: $0.instances - $0.healthy, allHealthy: $0.instances == $0.healthy)
        }
      let page = ConsolePage(
        title: "Services", section: "services", user: context.consoleUser, flash: ConsoleForms.flash(request), live: true,
        page: ServicesView(query: query, rows: rows))
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "services"))
    }
    console.get("services/:service") { request, context in
      let service = try context.segment("service")
      let answer = try await registry.instances(service: service)
      guard !answer.instances.isEmpty else { throw APIError(.notFound, "not_found", "\(service) has no instances") }
      let query = request.uri.queryParameters["q"].map(String.init) ?? ""
      let health = request.uri.queryParameters["health"].map(String.init) ?? ""
      let rows = answer.instances.filter { Self.matches($0, query: query, health: health) }.map { row($0) }
      let healthy = answer.instances.count(where: \.healthy)
      let isolated = answer.instances.count(where: \.isolated)
      let view = ServiceView(
        service: service, selfLink: ConsoleLinks.path("services", service),
        summary: "\(answer.instances.count) instances, \(healthy) healthy" + (isolated > 0 ? ", \(isolated) isolated" : ""),
        protectionApplied: answer.protectionApplied, query: query,
        healthOptions: [("", "any"), ("healthy", "healthy"), ("unhealthy", "unhealthy"), ("isolated", "isolated")].map {
          Option(value: $0.0, label: $0.1, selected: $0.0 == health)
        },
        rows: rows)
      let page = ConsolePage(title: service, section: "services", user: context.consoleUser, flash: ConsoleForms.flash(request), live: true, page: view)
      return ConsoleResponses.html(ConsoleTemplates.render(page, template: "service"))
    }
    console.post("services/:service/instances/:id/isolation") { request, context in
      let (service, id) = (try context.segment("service"), try context.segment("id"))
      let form = try await ConsoleForms.decode(IsolationForm.self, request, context)
      try await changes.setIsolated(service: service, id: id, form.isolated, actor: context.actor)
      let done = form.isolated ? "Isolated \(id): callers stop resolving it." : "Re-admitted \(id)."
      return ConsoleResponses.redirect(to: ConsoleLinks.path("services", service) + "?done=" + ConsoleLinks.query(done))
    }
  }

  struct IsolationForm: Decodable {
    var isolated: Bool
  }

  func row(_ instance: InstanceRecord) -> InstanceRow {
    let heartbeat: String
    if !instance.ephemeral {
      heartbeat = instance.check.map { "checked (\($0.type))" } ?? "persistent"
    } else if let since = registry.sinceLastHeartbeat(service: instance.service, id: instance.id) {
      heartbeat = ConsoleFormat.ago(since)
    } else {
      heartbeat = "not since this replica started"
    }
    return InstanceRow(
      id: instance.id, anchor: ConsoleLinks.segment(instance.id), address: "\(instance.host):\(instance.port)", protocol: instance.protocol,
      placement: [instance.region, instance.zone].compactMap { $0 }.joined(separator: " / "), releaseTag: instance.releaseTag ?? "",
      weight: instance.weight, healthy: instance.healthy, isolated: instance.isolated, heartbeat: heartbeat,
      labels: instance.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
      isolationAction: ConsoleLinks.path("services", instance.service, "instances", instance.id, "isolation"))
  }

  static func matches(_ instance: InstanceRecord, query: String, health: String) -> Bool {
    switch health {
    case "healthy" where !instance.healthy, "unhealthy" where instance.healthy, "isolated" where !instance.isolated: return false
    default: break
    }
    guard !query.isEmpty else { return true }
    let fields = [instance.id, "\(instance.host):\(instance.port)", instance.region, instance.zone, instance.releaseTag].compactMap { $0 }
      + instance.labels.map { "\($0.key)=\($0.value)" }
    return fields.contains { $0.localizedCaseInsensitiveContains(query) }
  }
}
