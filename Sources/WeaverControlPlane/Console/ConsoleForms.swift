import Foundation
import Hummingbird

/// Reading what the console's forms send.
enum ConsoleForms {
  /// The form body decoded as `Form` (URL-encoded, at most the context's upload limit).
  static func decode<Form: Decodable>(_: Form.Type, _ request: Request, _ context: ControlPlaneRequestContext) async throws -> Form {
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    do {
      return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
    } catch {
      throw APIError.invalid("the form is incomplete or malformed: \(error)")
    }
  }

  /// The message a redirect after a change carries (`?done=`), shown once on the page.
  static func flash(_ request: Request) -> String? {
    request.uri.queryParameters["done"].map(String.init).map { String($0.prefix(300)) }
  }
}

/// How the console writes times and amounts.
enum ConsoleFormat {
  /// `3 s ago`, `4 min ago`, `2 h ago`.
  static func ago(_ duration: Duration) -> String {
    let seconds = max(0, Int(duration.components.seconds))
    if seconds < 120 { return "\(seconds) s ago" }
    if seconds < 7200 { return "\(seconds / 60) min ago" }
    return "\(seconds / 3600) h ago"
  }

  /// `0.42 ms`, `12.3 ms`, `1.20 s`.
  static func milliseconds(_ nanos: UInt64) -> String {
    let milliseconds = Double(nanos) / 1e6
    if milliseconds >= 1000 { return String(format: "%.2f s", milliseconds / 1000) }
    return String(format: milliseconds < 10 ? "%.2f ms" : "%.1f ms", milliseconds)
  }

  /// Wall-clock time of a span or log record (UTC, milliseconds).
  static func time(_ nanos: UInt64) -> String {
    Date(timeIntervalSince1970: Double(nanos) / 1e9).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
