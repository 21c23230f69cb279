import Foundation
import Hummingbird

/// A request body the API accepts: these top-level fields and no others (and, for a field
/// holding an object, its own known fields).
protocol StrictlyDecodable: Decodable {
  static var fields: Set<String> { get }
  static var nestedFields: [String: Set<String>] { get }
}

extension StrictlyDecodable {
  static var nestedFields: [String: Set<String>] { [:] }
}

/// Request bodies in: JSON objects only, unknown fields refused by name, within the size
/// limit, with a one-line reason for anything else.
enum StrictJSON {
  static func decode<T: StrictlyDecodable>(_ type: T.Type, from request: Request, context: ControlPlaneRequestContext) async throws -> T {
    let body = try await request.body.collect(upTo: context.maxUploadSize)
    let data = Data(body.readableBytesView)
    guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
      throw APIError.invalid("the body is not JSON")
    }
    guard let fields = object as? [String: Any] else { throw APIError.invalid("the body must be a JSON object") }
    if let unknown = fields.keys.sorted().first(where: { !T.fields.contains($0) }) {
      throw APIError.invalid("unknown field '\(unknown)' (known: \(T.fields.sorted().joined(separator: ", ")))")
    }
    for (field, known) in T.nestedFields {
      guard let nested = fields[field] as? [String: Any] else { continue }
      if let unknown = nested.keys.sorted().first(where: { !known.contains($0) }) {
        throw APIError.invalid("unknown field '\(field).\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
      }
    }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw APIError.invalid(describe(error))
    }
  }

  /// `port: expected a number` rather than Foundation's paragraph.
  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "the body" : keys.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context): return "\(path(context)): expected \(describe(type))"
    case .valueNotFound(let type, let context): return "\(path(context)): expected \(describe(type)), found null"
    case .keyNotFound(let key, _): return "\(key.stringValue): required"
    case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
    @unknown default: return "the body does not match the expected shape"
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type, is Double.Type: "a number"
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    default: "\(type)"
    }
  }
}
