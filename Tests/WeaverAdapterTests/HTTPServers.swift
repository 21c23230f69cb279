import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import WeaverCore
import WeaverHTTP

/// A Hummingbird router that answers `POST /echo` with ``ReportingEchoService/report``,
/// behind CloudWeaver's middleware.
func reportingRouter(name: String, middlewares: [any ServerMiddleware]) -> Router<BasicRequestContext> {
  let router = Router()
  router.add(middleware: GovernanceHTTPMiddleware(service: "EchoHTTP", middlewares))
  router.post("/echo") { request, _ -> String in
    let body = try await request.body.collect(upTo: 1 << 16)
    return ReportingEchoService.report(name: name, message: String(buffer: body))
  }
  return router
}

/// Runs Hummingbird applications on loopback ports for the duration of `body`.
func withHTTPServers<T: Sendable>(
  _ routers: [Router<BasicRequestContext>], _ body: @Sendable ([Int]) async throws -> T
) async throws -> T {
  let ports = Mutex<[Int: Int]>([:])
  let (started, startedContinuation) = AsyncStream<Void>.makeStream()
  let applications = routers.enumerated().map { index, router in
    Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
      onServerRunning: { channel in
        ports.withLock { $0[index] = channel.localAddress?.port ?? 0 }
        startedContinuation.yield()
      },
      logger: Logger(label: "test-http"))
  }
  let group = ServiceGroup(configuration: .init(services: applications.map { $0 as any Service }, logger: Logger(label: "test-http")))
  return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
    tasks.addTask { try await group.run() }
    defer { Task { await group.triggerGracefulShutdown() } }
    var iterator = started.makeAsyncIterator()
    for _ in routers { await iterator.next() }
    let bound = ports.withLock { $0 }
    let result = try await body(routers.indices.map { bound[$0]! })
    await group.triggerGracefulShutdown()
    try await tasks.waitForAll()
    return result
  }
}

/// A plain HTTP request, as curl would send it.
func post(_ port: Int, _ path: String = "/echo", headers: [(String, String)] = [], body: String) async throws -> HTTPClientResponse.Collected {
  var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
  request.method = .POST
  for (name, value) in headers { request.headers.add(name: name, value: value) }
  request.body = .bytes(ByteBuffer(string: body))
  let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
  return HTTPClientResponse.Collected(status: response.status, headers: response.headers, body: try await response.body.collect(upTo: 1 << 20))
}

extension HTTPClientResponse {
  /// A response with its body read.
  struct Collected: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
    var text: String { String(buffer: body) }
  }
}
