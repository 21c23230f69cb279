import HTTPTypes
import Hummingbird
import NIOCore

/// The console's answers: HTML with a strict content security policy (no script or style
/// but the console's own files, no framing), redirects after a change (post/redirect/get).
enum ConsoleResponses {
  static let securityHeaders: HTTPFields = [
    .contentSecurityPolicy:
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    .xContentTypeOptions: "nosniff",
    HTTPField.Name("Referrer-Policy")!: "same-origin",
    .cacheControl: "no-store",
  ]

  static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    var headers = securityHeaders
    headers[.contentType] = "text/html; charset=utf-8"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  /// 303 See Other to a path of the console.
  static func redirect(to location: String) -> Response {
    var headers = securityHeaders
    headers[.location] = location
    return Response(status: .seeOther, headers: headers)
  }

  static func asset(_ text: String, contentType: String) -> Response {
    Response(
      status: .ok,
      headers: [.contentType: contentType, .cacheControl: "max-age=300", .xContentTypeOptions: "nosniff"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }
}
