import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Apollo's access keys: an app given secrets is read only by requests signed with one,
/// as Apollo's config service checks them — `Authorization: Apollo APP_ID:SIGNATURE` and
/// `Timestamp: MILLISECONDS`, the signature being base64(HMAC-SHA1(secret, timestamp + "\n"
/// + the request target as sent)), the timestamp within a minute of the server's clock.
/// Apps without a key are open, unless the server protects reads: then they are refused.
public struct ApolloAccessKeys: Sendable {
  /// Secrets per app (several: rotate by adding the new one, then removing the old).
  public var secrets: [String: [String]]
  /// How far a request's timestamp may be from the server's clock (Apollo: 60 s).
  public var allowedSkew: Duration
  let now: @Sendable () -> Date

  public init(secrets: [String: [String]] = [:], allowedSkew: Duration = .seconds(60), now: @escaping @Sendable () -> Date = Date.init) {
    self.secrets = secrets
    self.allowedSkew = allowedSkew
    self.now = now
  }

  /// Secrets from `APP=SECRET` lines (blank lines and `#` comments skipped; an app may
  /// have several lines).
  public static func parse(_ text: String) throws(APIError) -> [String: [String]] {
    var secrets: [String: [String]] = [:]
    // Split on any line end (a Windows "\r\n" is one Character, not a "\n").
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard !line.isEmpty, !line.hasPrefix("#") else { continue }
      guard let equals = line.firstIndex(of: "="), equals != line.startIndex, line.index(after: equals) != line.endIndex else {
        throw APIError.invalid("line \(index + 1): expected APP=SECRET")
      }
      secrets[line[..<equals].trimmingCharacters(in: .whitespaces), default: []].append(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
    }
    return secrets
  }

  /// Refuses (401) a request for `app` that is not signed with one of its secrets, or, with
  /// `protectReads`, any request for an app without a secret.
  func check(_ request: Request, app: String, protectReads: Bool) throws(APIError) {
    guard let keys = secrets[app], !keys.isEmpty else {
      if protectReads { throw Self.refusal("this server protects reads: app \(app) needs an access key (weaver server --apollo-access-keys)") }
      return
    }
    guard let authorization = request.headers[.authorization], authorization.hasPrefix("Apollo ") else {
      throw Self.refusal("app \(app) needs signed requests (Authorization: Apollo \(app):SIGNATURE, and Timestamp)")
    }
    let credentials = authorization.dropFirst("Apollo ".count)
    guard let colon = credentials.lastIndex(of: ":"), credentials[..<colon] == app,
      let signature = Data(base64Encoded: String(credentials[credentials.index(after: colon)...]))
    else {
      throw Self.refusal("the Authorization header must be Apollo \(app):BASE64_SIGNATURE")
    }
    guard let timestamp = request.headers[HTTPField.Name("Timestamp")!], let milliseconds = Int64(timestamp) else {
      throw Self.refusal("a signed request needs a Timestamp header (milliseconds since 1970)")
    }
    let skew = abs(now().timeIntervalSince1970 * 1000 - Double(milliseconds))
    guard skew <= Double(allowedSkew / .milliseconds(1)) else {
      throw Self.refusal("the request's Timestamp is \(Int(skew / 1000)) s away from the server's clock (at most \(allowedSkew))")
    }
    let message = Data("\(timestamp)\n\(request.head.path ?? "/")".utf8)
    // Every secret is tried in full: the time taken tells nothing of which came close.
    var valid = false
    for key in keys where HMAC<Insecure.SHA1>.isValidAuthenticationCode(signature, authenticating: message, using: SymmetricKey(data: Data(key.utf8))) {
      valid = true
    }
    guard valid else { throw Self.refusal("the signature does not match any access key of app \(app)") }
  }

  static func refusal(_ message: String) -> APIError {
    var error = APIError(.unauthorized, "unauthenticated", message)
    error.headers[.wwwAuthenticate] = "Apollo"
    return error
  }
}
