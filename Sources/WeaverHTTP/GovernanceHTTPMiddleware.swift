import HTTPTypes
import Hummingbird
import NIOCore
import WeaverCore

/// Runs CloudWeaver's server middleware — a ``ServerGovernor``'s limits, tracing, metrics,
/// anything written once for every transport — around each request of a Hummingbird
/// router, with the call's context read from its headers (`X-Release-Tag`, `x-region`,
/// `rpc-persist-*`, W3C trace context) and made ``CallContext/current`` for the handler,
/// so the calls it makes (Thrift, gRPC, HTTP) carry them on.
///
/// ```swift
/// let router = Router()
/// router.add(middleware: GovernanceHTTPMiddleware(service: "gateway", [TracingServerMiddleware(system: "http"), governor.middleware]))
/// router.post("/echo") { request, context in … }
/// ```
///
/// The method the rules and metrics see is the HTTP method and the route (`POST /echo`,
/// `GET /users/{id}`): bounded, whatever the paths called. A refusal is answered with its
/// status (see ``HTTPErrorMapping``), a JSON body and `Retry-After` where coming back later
/// helps; a handler's 5xx counts as a failure of the service, its 4xx as the business's.
public struct GovernanceHTTPMiddleware<Context: RequestContext>: RouterMiddleware {
  let service: String
  let middlewares: [any ServerMiddleware]
  let releaseTagKey: String
  /// Seconds a refused caller is asked to wait (`Retry-After`).
  let retryAfterSeconds: Int

  public init(service: String, _ middlewares: [any ServerMiddleware], releaseTagKey: String = "release", retryAfterSeconds: Int = 1) {
    self.service = service
    self.middlewares = middlewares
    self.releaseTagKey = releaseTagKey
    self.retryAfterSeconds = retryAfterSeconds
  }

  public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    let method = "\(request.method) \(context.endpointPath ?? request.uri.path)"
    let call = HTTPCallHeaders.read(request.headers.lazy.map { ($0.name.canonicalName, $0.value) }, service: service, method: method, releaseTagKey: releaseTagKey)
    do {
      let answer = try await middlewares.run(request, context: call) { request, call in
        try await CallContext.withCurrent(call) {
          let response: Response
          do {
            response = try await next(request, context)
          } catch let error as any HTTPResponseError {
            // A handler's HTTPError: counted by its status, answered as Hummingbird would.
            response = try error.response(from: request, context: context)
          }
          return HTTPAnswer(response: response, outcome: HTTPErrorMapping.outcome(status: response.status.code))
        }
      }
      return answer.response
    } catch let error as RPCError {
      return refusal(error)
    }
  }

  /// The answer to a call refused by governance (or a handler's own `RPCError`).
  func refusal(_ error: RPCError) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    headers[HTTPField.Name(HTTPErrorMapping.codeHeader)!] = error.code.name
    if HTTPErrorMapping.retriesLater(error.code) { headers[.retryAfter] = "\(retryAfterSeconds)" }
    let body = ByteBuffer(string: HTTPErrorMapping.body(for: error))
    return Response(status: .init(code: HTTPErrorMapping.status(for: error.code)), headers: headers, body: .init(byteBuffer: body))
  }
}

/// A handler's answer on its way out through the middleware, with how it counts.
struct HTTPAnswer: Sendable, OutcomeReporting {
  let response: Response
  let outcome: CallOutcome
}
