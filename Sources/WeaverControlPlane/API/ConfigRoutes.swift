import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import WeaverControlPlaneModels

extension ConfigDraft: StrictlyDecodable {
  static let fields: Set<String> = ["format", "content"]
}

extension PublishRequest: StrictlyDecodable {
  static let fields: Set<String> = ["author", "comment"]
}

extension RollbackRequest: StrictlyDecodable {
  static let fields: Set<String> = ["to", "author", "comment"]
}

extension GrayPublishRequest: StrictlyDecodable {
  static let fields: Set<String> = ["rule", "author", "comment"]
  static let nestedFields: [String: Set<String>] = ["rule": ["ips", "labels", "percentage"]]
}

/// `/v1/config/{app}/{cluster}/{namespace}…`: the config center over HTTP.
struct ConfigRoutes {
  let config: ConfigCenter
  let changes: AuditedChanges

  func add(to router: Router<ControlPlaneRequestContext>) {
    let namespaces = router.group("v1/config/:app/:cluster/:namespace")
    namespaces.get { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      var changed: Int64?
      if let index = try RegistryRoutes.index(request) {
        let wait = try RegistryRoutes.wait(request)
        changed = try? await cancelWhenGracefulShutdown {
          try await config.waitForChange(app: app, cluster: cluster, namespace: namespace, after: index, timeout: wait)
        } ?? nil
      }
      // Woken by a change: one read shared by every watcher it woke.
      let state = if let changed {
        try await config.sharedState(app: app, cluster: cluster, namespace: namespace, atLeast: changed)
      } else {
        try await config.state(app: app, cluster: cluster, namespace: namespace)
      }
      let seen = ConfigCenter.seen(by: try Self.client(request), state)
      return JSONResponses.response(seen, headers: [RegistryRoutes.indexHeader: String(seen.index)])
    }
    let changes = self.changes
    Self.write(namespaces, .put, "", ConfigDraft.self) { try await changes.saveDraft($0, $1, actor: $2.actor) }
    Self.write(namespaces, .post, "publish", PublishRequest.self) { namespace, body, _ in try await changes.publish(namespace, body) }
    Self.write(namespaces, .post, "rollback", RollbackRequest.self) { namespace, body, _ in try await changes.rollback(namespace, body) }
    Self.write(namespaces, .post, "gray", GrayPublishRequest.self) { namespace, body, _ in try await changes.publishGray(namespace, body) }
    Self.write(namespaces, .post, "gray/promote", PublishRequest.self) { namespace, body, _ in try await changes.promoteGray(namespace, body) }
    Self.write(namespaces, .post, "gray/abandon", PublishRequest.self) { namespace, body, _ in try await changes.abandonGray(namespace, body) }
    namespaces.get("releases") { _, context in
      let (app, cluster, namespace) = try Self.names(context)
      return JSONResponses.response(try await config.history(app: app, cluster: cluster, namespace: namespace))
    }
    namespaces.get("releases/:number") { _, context in
      let (app, cluster, namespace) = try Self.names(context)
      let number = try Self.number(try context.segment("number"), name: "release number")
      return JSONResponses.response(try await config.release(app: app, cluster: cluster, namespace: namespace, number: number))
    }
    namespaces.get("diff") { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      let query = request.uri.queryParameters
      guard let from = query["from"], let to = query["to"] else { throw APIError.invalid("diff needs from= and to= release numbers") }
      let diff = try await config.diff(
        app: app, cluster: cluster, namespace: namespace, from: try Self.number(String(from), name: "from"), to: try Self.number(String(to), name: "to"))
      return JSONResponses.response(diff)
    }
  }

  /// A write under the namespace: the body decoded strictly as `Body`, `action` run on
  /// the namespace and it (and the request's context), its answer as JSON.
  static func write<Body: StrictlyDecodable & SendableMetatype, Answer: Encodable & SendableMetatype>(
    _ namespaces: RouterGroup<ControlPlaneRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath, _: Body.Type,
    _ action: @escaping @Sendable (AuditedChanges.Namespace, Body, ControlPlaneRequestContext) async throws -> Answer
  ) {
    namespaces.on(path, method: method) { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      let body = try await StrictJSON.decode(Body.self, from: request, context: context)
      return JSONResponses.response(try await action(AuditedChanges.Namespace(app: app, cluster: cluster, namespace: namespace), body, context))
    }
  }

  static func names(_ context: ControlPlaneRequestContext) throws -> (String, String, String) {
    (try context.segment("app"), try context.segment("cluster"), try context.segment("namespace"))
  }

  /// The client a read names for gray releases (`ip=`, `client=`, `label=key:value`
  /// repeated); nil when it names none.
  static func client(_ request: Request) throws(APIError) -> ConfigClient? {
    let query = request.uri.queryParameters
    var labels: [String: String] = [:]
    for label in query[values: "label"] {
      guard let colon = label.firstIndex(of: ":"), colon != label.startIndex else {
        throw APIError.invalid("label must be key:value; got '\(label.prefix(40))'")
      }
      labels[String(label[..<colon])] = String(label[label.index(after: colon)...])
    }
    let ip = query["ip"].map(String.init)
    let id = query["client"].map(String.init)
    guard ip != nil || id != nil || !labels.isEmpty else { return nil }
    return ConfigClient(ip: ip, labels: labels, id: id)
  }

  static func number(_ text: String, name: String) throws(APIError) -> Int {
    guard let number = Int(text), number >= 1 else { throw APIError.invalid("\(name) must be a release number (1 or more); got '\(text)'") }
    return number
  }
}
