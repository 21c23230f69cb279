import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import WeaverControlPlaneModels

/// The control plane's `/v1` API from Swift: several server addresses with failover, a
/// bearer token, typed answers and errors. The SDK's ``Registrar`` and
/// ``ControlPlaneResolver`` use it; so can tools.
///
/// ```swift
/// let client = ControlPlaneClient(configuration: .init(servers: ["http://127.0.0.1:8500"]))
/// let feed = try await client.instances(service: "FeedService", healthyOnly: true)
/// ```
public final class ControlPlaneClient: Sendable {
  public struct Configuration: Sendable {
    /// Base URLs of control-plane replicas (`http://host:port`); a request that cannot
    /// reach one tries the next.
    public var servers: [String]
    /// Sent as `Authorization: Bearer` when set.
    public var token: String?
    /// How long one request may take (a blocking query: its wait plus this).
    public var requestTimeout: Duration

    public init(servers: [String], token: String? = nil, requestTimeout: Duration = .seconds(10)) {
      self.servers = servers.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
      self.token = token
      self.requestTimeout = requestTimeout
    }
  }

  public let configuration: Configuration
  let http: HTTPClient
  /// The replica that answered last: requests start there.
  private let current = Atomic<Int>(0)

  /// The HTTP client every control-plane client shares by default: connects time out
  /// after 2 s and are not retried by the pool (the client fails over to the next replica
  /// instead of retrying a dead one until the request's deadline).
  public static let defaultHTTPClient: HTTPClient = makeHTTPClient(tls: nil)

  /// An HTTP client as ``defaultHTTPClient`` is, trusting the CA certificates of the PEM
  /// file `trustRoots` (a control plane with a private CA's certificate) when given, else
  /// the system's. Shut it down when done with it.
  public static func makeHTTPClient(trustRoots: String? = nil) throws -> HTTPClient {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.minimumTLSVersion = .tlsv12
    if let trustRoots { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRoots)) }
    return makeHTTPClient(tls: tls as TLSConfiguration?)
  }

  private static func makeHTTPClient(tls: TLSConfiguration?) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    configuration.timeout.connect = .seconds(2)
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.tlsConfiguration = tls
    return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
  }

  public init(configuration: Configuration, httpClient: HTTPClient = ControlPlaneClient.defaultHTTPClient) {
    precondition(!configuration.servers.isEmpty, "a control-plane client needs at least one server address")
    self.configuration = configuration
    self.http = httpClient
  }

  // MARK: Registry

  public func register(service: String, _ registration: InstanceRegistration) async throws(ControlPlaneError) -> InstanceRecord {
    try await send(.POST, "/v1/services/\(escape(service))/instances", body: registration, as: InstanceRecord.self)
  }

  public func heartbeat(service: String, id: String) async throws(ControlPlaneError) {
    _ = try await send(.PUT, "/v1/services/\(escape(service))/instances/\(escape(id))/heartbeat", as: Empty.self)
  }

  public func deregister(service: String, id: String) async throws(ControlPlaneError) {
    _ = try await send(.DELETE, "/v1/services/\(escape(service))/instances/\(escape(id))", as: Empty.self)
  }

  /// A service's instances; with `index`, a blocking query that answers once something
  /// changed after that revision or `wait` passed.
  public func instances(
    service: String, healthyOnly: Bool = false, releaseTag: String? = nil, region: String? = nil, index: Int64? = nil,
    wait: Duration = .seconds(30)
  ) async throws(ControlPlaneError) -> ServiceInstances {
    var query: [(String, String)] = []
    if healthyOnly { query.append(("healthy", "true")) }
    if let releaseTag { query.append(("tag", releaseTag)) }
    if let region { query.append(("region", region)) }
    var timeout = configuration.requestTimeout
    if let index {
      let milliseconds = Int64((wait / .milliseconds(1)).rounded(.up))
      query += [("index", String(index)), ("wait", "\(milliseconds)ms")]
      timeout += wait
    }
    let path = "/v1/services/\(escape(service))/instances" + (query.isEmpty ? "" : "?" + query.map { "\($0)=\(escape($1))" }.joined(separator: "&"))
    return try await send(.GET, path, as: ServiceInstances.self, timeout: timeout)
  }

  public func services() async throws(ControlPlaneError) -> [ServiceSummary] {
    try await send(.GET, "/v1/services", as: [ServiceSummary].self)
  }

  // MARK: Transport

  struct Empty: Codable {}

  func escape(_ component: String) -> String {
    component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=+"))) ?? component
  }

  /// Sends one request, trying each replica once from the last that answered; decodes a
  /// 2xx answer as `T` (nothing for 204) and turns anything else into a typed error.
  ///
  /// When every replica refused the connection, it tries them all once more: the HTTP
  /// client fails every request waiting for a connection when that connection's attempt
  /// fails, so a request made just after a replica came back can carry the refusal of an
  /// attempt made while it was down. A refused connect never sent the request, so sending
  /// it again is safe for every method.
  func send<T: Decodable>(
    _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Empty>.none, as: T.Type, timeout: Duration? = nil
  ) async throws(ControlPlaneError) -> T {
    let servers = configuration.servers
    let encoded = body.map { ByteBuffer(bytes: (try? JSONEncoder().encode($0)) ?? Data()) }
    let limit = timeout ?? configuration.requestTimeout
    var failures: [String] = []
    for pass in 0..<2 {
      let start = current.load(ordering: .relaxed)
      var allRefused = true
      for attempt in 0..<servers.count {
        let index = (start + attempt) % servers.count
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
          let request = request(method, servers[index] + path, body: encoded)
          response = try await http.execute(request, timeout: .nanoseconds(Int64((limit / .nanoseconds(1)).rounded())))
          bytes = try await response.body.collect(upTo: 16 << 20)
        } catch {
          failures.append("\(servers[index])\(pass > 0 ? " (again)" : ""): \(error)")
          allRefused = allRefused && Self.connectionWasRefused(error)
          continue
        }
        current.store(index, ordering: .relaxed)
        return try Self.decode(response.status, bytes, as: T.self)
      }
      if !allRefused { break }
    }
    throw .unreachable(failures.joined(separator: "; "))
  }

  /// A request to `url` with the API's headers (and the bearer token, when set).
  private func request(_ method: HTTPMethod, _ url: String, body: ByteBuffer?) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Accept", value: "application/json")
    if let token = configuration.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(body)
    }
    return request
  }

  /// Whether `error` is a refused TCP connect: the request never left this process.
  static func connectionWasRefused(_ error: any Error) -> Bool {
    if let error = error as? NIOConnectionError {
      return !error.connectionErrors.isEmpty && error.connectionErrors.allSatisfy { connectionWasRefused($0.error) }
    }
    if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
    return false
  }

  static func decode<T: Decodable>(_ status: HTTPResponseStatus, _ bytes: ByteBuffer, as: T.Type) throws(ControlPlaneError) -> T {
    let data = Data(bytes.readableBytesView)
    guard (200..<300).contains(status.code) else {
      let detail = try? JSONDecoder().decode(APIErrorBody.self, from: data).error
      throw .refused(status: Int(status.code), code: detail?.code ?? "http_\(status.code)", message: detail?.message ?? status.reasonPhrase)
    }
    if status == .noContent || data.isEmpty, let empty = Empty() as? T { return empty }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw .unreadable("the control plane answered something that is not a \(T.self): \(error)")
    }
  }
}

/// Why a control-plane request failed.
public enum ControlPlaneError: Error, Sendable, Hashable, CustomStringConvertible {
  /// No replica could be reached (each one's reason, joined).
  case unreachable(String)
  /// A replica answered with an error status and the API's error body.
  case refused(status: Int, code: String, message: String)
  /// A replica answered with something that is not the API's JSON.
  case unreadable(String)

  public var description: String {
    switch self {
    case .unreachable(let reasons): "control plane unreachable: \(reasons)"
    case .refused(let status, let code, let message): "control plane refused (\(status) \(code)): \(message)"
    case .unreadable(let reason): reason
    }
  }

  /// A 404: the thing asked for does not exist (an instance removed after missing heartbeats).
  public var isNotFound: Bool {
    if case .refused(404, _, _) = self { return true }
    return false
  }
}
