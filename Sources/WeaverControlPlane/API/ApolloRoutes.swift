import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import WeaverControlPlaneModels

/// Apollo's client protocol (`/configs`, `/configfiles/json`, `/notifications/v2`,
/// `/services/config`), so existing Apollo clients in Java, Go and Python read our
/// namespaces unchanged.
struct ApolloRoutes {
  let config: ConfigCenter
  /// How long `/notifications/v2` holds a request without a change (Apollo: 60 s).
  let hold: Duration
  let accessKeys: ApolloAccessKeys
  /// Reads are protected: an app without an access key is refused.
  let protectReads: Bool

  struct Notification: Codable {
    var namespaceName: String
    var notificationId: Int64
  }

  struct ChangedNotification: Codable {
    var namespaceName: String
    var notificationId: Int64
    var messages: Messages

    struct Messages: Codable {
      var details: [String: Int64]
    }
  }

  struct Configs: Codable {
    var appId: String
    var cluster: String
    var namespaceName: String
    var configurations: [String: String]
    var releaseKey: String
  }

  struct ConfigService: Codable {
    var appName: String
    var instanceId: String
    var homepageUrl: String
  }

  func add(to router: Router<ControlPlaneRequestContext>) {
    router.get("configs/:app/:cluster/:namespace") { request, context in
      let (app, cluster, name) = try ConfigRoutes.names(context)
      try accessKeys.check(request, app: app, protectReads: protectReads)
      guard let found = try await config.apolloNamespace(app: app, cluster: cluster, name: name, client: Self.client(request)) else {
        throw APIError(.notFound, "not_found", "no released namespace \(name) of \(app) in cluster \(cluster) or default")
      }
      if let releaseKey = request.uri.queryParameters["releaseKey"], String(releaseKey) == found.releaseKey {
        return Response(status: .notModified)
      }
      // Apollo names a properties namespace without its extension.
      let echoed = name.hasSuffix(".properties") ? String(name.dropLast(".properties".count)) : name
      return JSONResponses.response(
        Configs(appId: app, cluster: found.cluster, namespaceName: echoed, configurations: found.configurations, releaseKey: found.releaseKey))
    }
    router.get("configfiles/json/:app/:cluster/:namespace") { request, context in
      let (app, cluster, name) = try ConfigRoutes.names(context)
      try accessKeys.check(request, app: app, protectReads: protectReads)
      guard let found = try await config.apolloNamespace(app: app, cluster: cluster, name: name, client: Self.client(request)) else {
        throw APIError(.notFound, "not_found", "no released namespace \(name) of \(app) in cluster \(cluster) or default")
      }
      return JSONResponses.response(found.configurations)
    }
    router.get("notifications/v2") { request, _ in try await notifications(request) }
    router.get("services/config") { request, _ in
      let host = request.head.authority ?? "127.0.0.1"
      return JSONResponses.response([ConfigService(appName: "APOLLO-CONFIGSERVICE", instanceId: "weaver:\(host)", homepageUrl: "http://\(host)/")])
    }
  }

  /// Answers at once with the namespaces whose notification id moved past the client's,
  /// else holds until one does (200) or the hold ends (304). Changes that are not releases
  /// (a draft saved) do not end the hold.
  private func notifications(_ request: Request) async throws -> Response {
    guard let app = Self.formValue(request, "appId"), !app.isEmpty else { throw APIError.invalid("appId is required") }
    try accessKeys.check(request, app: app, protectReads: protectReads)
    let cluster = Self.formValue(request, "cluster") ?? "default"
    guard let text = Self.formValue(request, "notifications"),
      let asked = try? JSONDecoder().decode([Notification].self, from: Data(text.utf8)), !asked.isEmpty
    else {
      throw APIError.invalid(#"notifications must be a JSON array like [{"namespaceName":"application","notificationId":-1}]"#)
    }
    guard asked.count <= 100 else { throw APIError.invalid("at most 100 namespaces per request; got \(asked.count)") }
    let prefixes = asked.flatMap { config.apolloPrefixes(app: app, cluster: cluster, name: $0.namespaceName) }
    let deadline = ContinuousClock.now + hold
    while true {
      // The revision first, then the look: a release committed in between wakes the wait.
      let revision = try await config.currentRevision()
      if let changed = try await changes(app: app, cluster: cluster, asked: asked) { return JSONResponses.response(changed) }
      let left = deadline - .now
      guard left > .zero else { return Response(status: .notModified) }
      let woken = try? await cancelWhenGracefulShutdown {
        try await config.waitForApolloChange(prefixes: prefixes, after: revision, timeout: left)
      }
      if woken == nil { return Response(status: .notModified) }  // shutting down
    }
  }

  /// The Apollo client as a gray rule sees it: its `ip`, and its `label` as the label
  /// `label`.
  static func client(_ request: Request) -> ConfigClient? {
    let ip = formValue(request, "ip").flatMap { $0.isEmpty ? nil : $0 }
    let label = formValue(request, "label").flatMap { $0.isEmpty ? nil : $0 }
    guard ip != nil || label != nil else { return nil }
    return ConfigClient(ip: ip, labels: label.map { ["label": $0] } ?? [:])
  }

  /// A query parameter as an HTML form sends it: `+` is a space (Apollo's Java and Python
  /// clients send `json.dumps` output that way), then percent-decoding.
  static func formValue(_ request: Request, _ name: String) -> String? {
    guard let query = request.uri.query else { return nil }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.first.map(String.init)?.replacingOccurrences(of: "+", with: " ").removingPercentEncoding == name else { continue }
      let raw = parts.count > 1 ? String(parts[1]) : ""
      return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
    return nil
  }

  private func changes(app: String, cluster: String, asked: [Notification]) async throws -> [ChangedNotification]? {
    var changed: [ChangedNotification] = []
    for notification in asked {
      guard let found = try await config.apolloNamespace(app: app, cluster: cluster, name: notification.namespaceName),
        found.notificationID > notification.notificationId
      else { continue }
      let detail = "\(app)+\(found.cluster)+\(notification.namespaceName)"
      changed.append(ChangedNotification(
        namespaceName: notification.namespaceName, notificationId: found.notificationID,
        messages: .init(details: [detail: found.notificationID])))
    }
    return changed.isEmpty ? nil : changed
  }
}
