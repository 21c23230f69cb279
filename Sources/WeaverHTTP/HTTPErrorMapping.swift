import Foundation
import WeaverCore

/// The one place where CloudWeaver's failure codes meet HTTP statuses, both ways.
///
/// A governed HTTP service answers a refused call with the status an HTTP client expects —
/// `429 Too Many Requests` when over a limit, `503 Service Unavailable` when a breaker,
/// degrade switch or drain turned it away (both with `Retry-After`), `504` past the
/// deadline — a JSON body `{"error":{"code":"overloaded","message":"…"}}` and the exact
/// code in `x-weaver-error`, which a CloudWeaver client reads back.
public enum HTTPErrorMapping {
  /// The response header that names the CloudWeaver code of a failure.
  public static let codeHeader = "x-weaver-error"

  /// The HTTP status of a CloudWeaver failure code.
  public static func status(for code: RPCError.Code) -> Int {
    switch code {
    case .overloaded: 429
    case .deadlineExceeded: 504
    case .cancelled: 499
    case .connectFailed, .connectionClosed, .unavailable, .shuttingDown, .circuitOpen, .degraded, .injectedFault, .tlsFailure: 503
    case .protocolError: 400
    default: 500
    }
  }

  /// Whether a refusal with `code` tells the caller to come back later (`Retry-After`).
  public static func retriesLater(_ code: RPCError.Code) -> Bool {
    [.overloaded, .circuitOpen, .degraded, .shuttingDown, .unavailable].contains(code)
  }

  /// The CloudWeaver code of a failed answer: the `x-weaver-error` header when the server
  /// sent one, else the status's nearest meaning; `nil` for answers that are not failures
  /// of the service (2xx, 3xx, and 4xx other than 429: the caller's or the business's).
  public static func failureCode(status: Int, named: String? = nil) -> RPCError.Code? {
    if let named, let code = RPCError.Code(name: named) { return code }
    switch status {
    case 429: return .overloaded
    case 503: return .unavailable
    case 504: return .deadlineExceeded
    case 500...599: return .serverError
    default: return nil
    }
  }

  /// How an answer with `status` counts for governance.
  public static func outcome(status: Int, named: String? = nil) -> CallOutcome {
    if let code = failureCode(status: status, named: named) { return .failure(code) }
    return (400..<500).contains(status) ? .declaredError : .success
  }

  /// The JSON body of an error answer: `{"error":{"code":"…","message":"…"}}`.
  public static func body(for error: RPCError) -> String {
    let body = ErrorBody(error: .init(code: error.code.name, message: error.message))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Two strings always encode.
    return (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"error":{"code":"serverError","message":""}}"#
  }

  private struct ErrorBody: Encodable {
    struct Detail: Encodable {
      var code: String
      var message: String
    }
    var error: Detail
  }
}
