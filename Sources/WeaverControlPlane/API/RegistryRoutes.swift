import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import WeaverControlPlaneModels

extension InstanceRegistration: StrictlyDecodable {
  static let fields: Set<String> = [
    "host", "port", "id", "region", "zone", "releaseTag", "labels", "weight", "protocol", "ephemeral", "ttlSeconds", "removeAfterSeconds",
    "check",
  ]
  static let nestedFields: [String: Set<String>] = [
    "check": ["type", "path", "intervalSeconds", "timeoutSeconds", "unhealthyAfter", "healthyAfter"]
  ]
}

extension IsolationRequest: StrictlyDecodable {
  static let fields: Set<String> = ["isolated"]
}

extension ServiceSettings: StrictlyDecodable {
  static let fields: Set<String> = ["protectionThreshold"]
}

/// `/v1/services…`: the registry over HTTP.
struct RegistryRoutes {
  let registry: Registry
  let changes: AuditedChanges
  /// The longest a blocking query may hold (Consul: 10 minutes; ours is shorter).
  static let maxWait = Duration.seconds(300)
  static let defaultWait = Duration.seconds(30)
  static let indexHeader = HTTPField.Name("X-Weaver-Index")!

  func add(to router: Router<ControlPlaneRequestContext>) {
    let services = router.group("v1/services")
    services.get { _, _ in JSONResponses.response(try await registry.services()) }
    services.get(":service/instances") { request, context in try await instances(request, context) }
    services.post(":service/instances") { request, context in
      let registration = try await StrictJSON.decode(InstanceRegistration.self, from: request, context: context)
      return JSONResponses.response(try await registry.register(service: try context.segment("service"), registration))
    }
    services.put(":service/instances/:id/heartbeat") { _, context in
      try await registry.heartbeat(service: try context.segment("service"), id: try context.segment("id"))
      return Response(status: .noContent)
    }
    services.delete(":service/instances/:id") { _, context in
      try await registry.deregister(service: try context.segment("service"), id: try context.segment("id"))
      return Response(status: .noContent)
    }
    services.put(":service/instances/:id/isolation") { request, context in
      let change = try await StrictJSON.decode(IsolationRequest.self, from: request, context: context)
      let (service, id) = (try context.segment("service"), try context.segment("id"))
      try await changes.setIsolated(service: service, id: id, change.isolated, actor: context.actor)
      return JSONResponses.response(change)
    }
    services.put(":service/settings") { request, context in
      let settings = try await StrictJSON.decode(ServiceSettings.self, from: request, context: context)
      try await registry.setSettings(service: try context.segment("service"), settings)
      return JSONResponses.response(settings)
    }
  }

  /// `GET …/instances?healthy=&tag=&region=&index=&wait=`: a blocking query when `index`
  /// is given.
  private func instances(_ request: Request, _ context: ControlPlaneRequestContext) async throws -> Response {
    let service = try context.segment("service")
    let query = request.uri.queryParameters
    var filter = InstanceFilter()
    if let healthy = query["healthy"] {
      guard let value = Bool(String(healthy)) else { throw APIError.invalid("healthy must be true or false; got '\(healthy)'") }
      filter.healthyOnly = value
    }
    filter.releaseTag = query["tag"].map(String.init)
    filter.region = query["region"].map(String.init)
    if let after = try Self.index(request) {
      let wait = try Self.wait(request)
      // A shutting-down server answers its waiting queries at once, with what it has.
      try? await cancelWhenGracefulShutdown {
        try await registry.waitForChange(service: service, after: after, timeout: wait)
      }
    }
    let answer = try await registry.instances(service: service, filter: filter)
    return JSONResponses.response(answer, headers: [Self.indexHeader: String(answer.index)])
  }

  /// A blocking query's `index`, if it has one.
  static func index(_ request: Request) throws(APIError) -> Int64? {
    guard let index = request.uri.queryParameters["index"] else { return nil }
    guard let after = Int64(String(index)), after >= 0 else { throw APIError.invalid("index must be a revision (a whole number ≥ 0); got '\(index)'") }
    return after
  }

  /// A blocking query's `wait` (default 30 s, at most ``maxWait``).
  static func wait(_ request: Request) throws(APIError) -> Duration {
    guard let text = request.uri.queryParameters["wait"] else { return defaultWait }
    return min(try duration(String(text)), maxWait)
  }

  /// `30s`, `500ms`, `2m`; anything over ``maxWait`` is ``maxWait`` (capped before it is
  /// multiplied out, so no amount overflows).
  static func duration(_ text: String) throws(APIError) -> Duration {
    let units: [(String, Int)] = [("ms", 1), ("s", 1_000), ("m", 60_000)]
    let maxMilliseconds = Int(maxWait / .milliseconds(1))
    for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
      if let amount = Int(text.dropLast(suffix.count)), amount >= 0 {
        return .milliseconds(min(amount, maxMilliseconds / milliseconds + 1) * milliseconds)
      }
    }
    throw APIError.invalid("wait must be a duration like 500ms, 30s or 2m; got '\(text)'")
  }
}

extension ControlPlaneRequestContext {
  /// A path parameter, percent-decoded (`h%3A80` is the instance `h:80`).
  func segment(_ name: String) throws -> String {
    let raw = try parameters.require(name)
    guard let decoded = raw.removingPercentEncoding else { throw APIError.invalid("\(name) '\(raw)' is not valid percent-encoding") }
    return decoded
  }
}
