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

/// `/v1/config/{app}/{cluster}/{namespace}…`: the config center over HTTP.
struct ConfigRoutes {
  let config: ConfigCenter

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
      return JSONResponses.response(state, headers: [RegistryRoutes.indexHeader: String(state.index)])
    }
    namespaces.put { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      let draft = try await StrictJSON.decode(ConfigDraft.self, from: request, context: context)
      return JSONResponses.response(try await config.saveDraft(app: app, cluster: cluster, namespace: namespace, draft))
    }
    namespaces.post("publish") { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      let publish = try await StrictJSON.decode(PublishRequest.self, from: request, context: context)
      return JSONResponses.response(try await config.publish(app: app, cluster: cluster, namespace: namespace, publish))
    }
    namespaces.post("rollback") { request, context in
      let (app, cluster, namespace) = try Self.names(context)
      let rollback = try await StrictJSON.decode(RollbackRequest.self, from: request, context: context)
      return JSONResponses.response(try await config.rollback(app: app, cluster: cluster, namespace: namespace, rollback))
    }
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

  static func names(_ context: ControlPlaneRequestContext) throws -> (String, String, String) {
    (try context.segment("app"), try context.segment("cluster"), try context.segment("namespace"))
  }

  static func number(_ text: String, name: String) throws(APIError) -> Int {
    guard let number = Int(text), number >= 1 else { throw APIError.invalid("\(name) must be a release number (1 or more); got '\(text)'") }
    return number
  }
}
