import Foundation
import WeaverControlPlaneModels
import Yams

/// One release of a namespace as a service holds it: swapped whole when a new one
/// arrives, never changed in place.
public struct ConfigSnapshot: Sendable, Hashable {
  public let release: ConfigRelease

  public init(release: ConfigRelease) {
    self.release = release
  }

  public var number: Int { release.number }
  public var content: String { release.content }
  public var format: ConfigFormat { release.format }

  /// A properties namespace's keys and values (empty for other formats).
  public var properties: [String: String] {
    guard format == .properties else { return [:] }
    return (try? ConfigProperties.parse(content)) ?? [:]  // checked when it was published
  }

  /// The content decoded as `T`: JSON and YAML as they are; properties as an object whose
  /// values that read as whole numbers, decimals or `true`/`false` are those (so
  /// `timeout=30` decodes into an `Int`); text as a JSON document.
  public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
    switch format {
    case .json, .text:
      return try JSONDecoder().decode(T.self, from: Data(content.utf8))
    case .yaml:
      return try YAMLDecoder().decode(T.self, from: content)
    case .properties:
      let object = properties.mapValues { value -> Any in
        if let integer = Int(value) { return integer }
        if let decimal = Double(value) { return decimal }
        if let flag = Bool(value) { return flag }
        return value
      }
      return try JSONDecoder().decode(T.self, from: try JSONSerialization.data(withJSONObject: object))
    }
  }
}
