import Hummingbird
import WeaverCore
import WeaverHTTP

/// The body of `POST /echo`, asked and answered.
public struct EchoMessage: Codable, Sendable {
  public var message: String

  public init(message: String) {
    self.message = message
  }
}

extension EchoMessage: ResponseEncodable {}

/// The benchmark echo service over HTTP: `POST /echo` with `{"message": …}` answers the
/// same JSON (relaying: what the next hop answered); `middlewares` (governance, tracing,
/// metrics) run around it.
public enum HTTPEchoRouter {
  /// The service name the echo's rules and metrics use.
  public static let service = "EchoHTTP"

  public static func make(
    middlewares: [any ServerMiddleware], forward: (@Sendable (String) async throws -> String)? = nil
  ) -> Router<BasicRequestContext> {
    let router = Router()
    // A relay needs the middleware even bare: it answers the next hop's refusal
    // (`RPCError`) with its status, Retry-After and JSON body instead of a 500.
    if !middlewares.isEmpty || forward != nil { router.add(middleware: GovernanceHTTPMiddleware(service: service, middlewares)) }
    router.post("/echo") { request, context -> EchoMessage in
      let asked = try await request.decode(as: EchoMessage.self, context: context)
      guard let forward else { return asked }
      return EchoMessage(message: try await forward(asked.message))
    }
    return router
  }
}
