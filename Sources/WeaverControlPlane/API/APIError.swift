import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WeaverControlPlaneModels
import WeaverStore

/// An error as the API answers it: a status and a JSON body `{"error": {"code", "message"}}`.
/// Every error of every route becomes one of these in one place (``APIErrorMiddleware``).
public struct APIError: Error, Sendable, CustomStringConvertible {
  public var status: HTTPResponse.Status
  public var code: String
  public var message: String
  /// Extra headers (`WWW-Authenticate`, `Retry-After`).
  public var headers: HTTPFields = [:]

  public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  public var description: String { "\(status.code) \(code): \(message)" }

  static func invalid(_ message: String) -> APIError { APIError(.badRequest, "invalid_argument", message) }

  /// The answer for any error a route or middleware threw.
  static func from(_ error: any Error) -> APIError {
    switch error {
    case let error as APIError:
      return error
    case let error as RegistryError:
      switch error {
      case .invalid(let message): return .invalid(message)
      case .notFound(let message): return APIError(.notFound, "not_found", message)
      case .store(let error): return from(error)
      }
    case let error as ConfigError:
      switch error {
      case .invalid(let message): return .invalid(message)
      case .notFound(let message): return APIError(.notFound, "not_found", message)
      case .conflict(let message): return APIError(.conflict, "conflict", message)
      case .store(let message): return APIError(.serviceUnavailable, "unavailable", message)
      }
    case let error as StoreError:
      switch error {
      case .invalid(let message): return .invalid(message)
      case .leaseNotFound, .compacted: return APIError(.conflict, "conflict", error.description)
      case .unavailable: return APIError(.serviceUnavailable, "unavailable", error.description)
      }
    case is NIOTooManyBytesError:
      return APIError(.contentTooLarge, "too_large", "the body is over the limit of 1 MiB")
    case let error as HTTPError:
      switch error.status {
      case .notFound: return APIError(.notFound, "not_found", error.body ?? "no such route")
      case .contentTooLarge: return APIError(.contentTooLarge, "too_large", "the body is over the limit of 1 MiB")
      case .methodNotAllowed: return APIError(.methodNotAllowed, "method_not_allowed", error.body ?? "method not allowed here")
      default: return APIError(error.status, error.status.code < 500 ? "bad_request" : "internal", error.body ?? error.status.reasonPhrase)
      }
    default:
      return APIError(.internalServerError, "internal", "internal error")
    }
  }

  /// The response: the status, the JSON body, the extra headers.
  /// A request's failure as the API answers it; a server-side one (5xx) is logged with
  /// what really happened, which the answer does not show.
  static func caught(_ error: any Error, _ request: Request, _ context: ControlPlaneRequestContext) -> APIError {
    let apiError = from(error)
    if apiError.status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
    return apiError
  }

  func response() -> Response {
    var response = JSONResponses.response(APIErrorBody(code: code, message: message), status: status)
    for field in headers { response.headers.append(field) }
    return response
  }
}

/// Turns every error below it into an ``APIError`` response; nothing leaves the API as a
/// bare 500 or an empty body.
struct APIErrorMiddleware: RouterMiddleware {
  typealias Context = ControlPlaneRequestContext

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    do {
      return try await next(request, context)
    } catch {
      return APIError.caught(error, request, context).response()
    }
  }
}

/// JSON bodies out.
enum JSONResponses {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = "application/json"
    let body = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal","message":"cannot encode the answer"}}"#.utf8)
    return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
  }
}
