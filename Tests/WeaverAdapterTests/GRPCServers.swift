import GRPCCore
import GRPCNIOTransportHTTP2
import WeaverBenchAdapters
import WeaverCore
import WeaverGRPC

/// An echo service that answers with who it is and what context the call brought: the
/// release tag, the caller, the trace parent and the time left before the deadline.
struct ReportingEchoService: Echo_Echo.SimpleServiceProtocol {
  let name: String

  func echo(request: Echo_EchoRequest, context: ServerContext) async throws -> Echo_EchoResponse {
    var response = Echo_EchoResponse()
    response.message = Self.report(name: name, message: request.message)
    return response
  }

  /// `name|message|release|caller|traceparent|milliseconds left` of the call being served.
  static func report(name: String, message: String) -> String {
    let call = CallContext.current
    let left = call?.remaining().map { String($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
    return [name, message, call?.metadata.persistent["release"] ?? "-", call?.caller ?? "-", call?.headers["traceparent"] ?? "-", left ?? "-"]
      .joined(separator: "|")
  }
}

/// One field of a ``ReportingEchoService`` answer.
enum Report: Int {
  case server, message, release, caller, traceparent, millisecondsLeft

  static func field(_ field: Report, of answer: String) -> String {
    String(answer.split(separator: "|", omittingEmptySubsequences: false)[field.rawValue])
  }
}

/// Runs gRPC servers on loopback ports (the interceptor in front of each: governance, and
/// the call's context made current) for the duration of `body`.
func withGRPCServers<T: Sendable>(
  _ services: [ReportingEchoService], middlewares: [any ServerMiddleware] = [],
  _ body: @Sendable ([Int]) async throws -> T
) async throws -> T {
  let servers = services.map { service in
    GRPCServer(
      transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
      services: [service], interceptors: [GovernanceServerInterceptor(middlewares)])
  }
  return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
    for server in servers { group.addTask { try await server.serve() } }
    defer { for server in servers { server.beginGracefulShutdown() } }
    var ports: [Int] = []
    for server in servers {
      guard let address = try await server.listeningAddress?.ipv4 else { throw WeaverCore.RPCError(.unavailable, "a test server did not start") }
      ports.append(address.port)
    }
    return try await body(ports)
  }
}

/// Calls through a governed transport for the duration of `body`.
func withGovernedEcho<T: Sendable>(
  _ transport: GovernedGRPCTransport, _ body: @Sendable (Echo_Echo.Client<GovernedGRPCTransport>) async throws -> T
) async throws -> T {
  try await withGRPCClient(transport: transport) { client in try await body(Echo_Echo.Client(wrapping: client)) }
}

extension Echo_Echo.Client where Transport == GovernedGRPCTransport {
  /// Echoes `message` within `context` (as a handler serving a call would), with a timeout.
  func echo(_ message: String, in context: CallContext? = nil, timeout: Duration = .seconds(20)) async throws -> String {
    var request = Echo_EchoRequest()
    request.message = message
    var options = CallOptions.defaults
    options.timeout = timeout
    guard let context else { return try await echo(request, options: options).message }
    return try await CallContext.withCurrent(context) { try await echo(request, options: options).message }
  }
}

/// A call being served that carries `release` as its persistent release tag.
func callTagged(_ release: String?, trace: String? = nil) -> CallContext {
  var context = CallContext(service: "edge", method: "serve", metadata: Metadata(persistent: release.map { ["release": $0] } ?? [:]))
  if let trace { context.headers["traceparent"] = trace }
  return context
}
