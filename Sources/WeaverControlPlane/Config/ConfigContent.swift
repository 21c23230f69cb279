import Foundation
import WeaverControlPlaneModels
import WeaverGovernance
import Yams

/// What the config center knows about content: whether it is valid for its format, and
/// its keys where it has them (for diffs and Apollo's `configurations`).
enum ConfigContent {
  /// The largest content a namespace holds.
  static let maxBytes = 512 * 1024

  /// Checks `content` as `format`; the `governance` namespace must also be a valid rule
  /// set for the app's service (the error names the field).
  static func validate(_ content: String, format: ConfigFormat, namespace: NamespaceKey) throws(ConfigError) {
    guard content.utf8.count <= maxBytes else { throw .invalid("content is \(content.utf8.count) bytes; the limit is \(maxBytes)") }
    switch format {
    case .properties:
      _ = try properties(content)
    case .json:
      guard (try? JSONSerialization.jsonObject(with: Data(content.utf8), options: [.fragmentsAllowed])) != nil else {
        throw .invalid("content is not valid JSON")
      }
    case .yaml:
      do {
        _ = try Yams.compose(yaml: content)
      } catch {
        throw .invalid("content is not valid YAML: \(error)")
      }
    case .text:
      break
    }
    if namespace.namespace == governanceNamespace {
      guard format == .yaml || format == .json else { throw .invalid("the governance namespace is YAML or JSON rules") }
      do {
        _ = try RuleSet(service: namespace.app, parsing: content, file: "\(namespace)")
      } catch {
        throw .invalid("rules do not validate:\n\(error.description)")
      }
    }
  }

  /// The namespace whose content is the app's governance rules.
  static let governanceNamespace = "governance"

  /// `key=value` lines (``ConfigProperties``), with the config center's error.
  static func properties(_ content: String) throws(ConfigError) -> [String: String] {
    do {
      return try ConfigProperties.parse(content)
    } catch {
      throw .invalid("line \(error.line): expected key=value, got '\(error.text)'")
    }
  }

  /// The content's keys and values, where the format has them: properties; JSON objects of
  /// scalars, flattened with dots. Nil for anything else.
  static func keyed(_ content: String, format: ConfigFormat) -> [String: String]? {
    switch format {
    case .properties:
      return try? properties(content)
    case .json:
      guard let object = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any] else { return nil }
      var flat: [String: String] = [:]
      flatten(object, prefix: "", into: &flat)
      return flat
    case .yaml, .text:
      return nil
    }
  }

  private static func flatten(_ value: Any, prefix: String, into flat: inout [String: String]) {
    if let object = value as? [String: Any] {
      for (key, child) in object { flatten(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &flat) }
    } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
      flat[prefix] = String(decoding: data, as: UTF8.self)
    }
  }

  /// The changes from `old` to `new`: per key when both have keys, else per line.
  static func diff(_ old: String, _ new: String, format: ConfigFormat) -> [ReleaseDiff.Change] {
    if let before = keyed(old, format: format), let after = keyed(new, format: format) {
      return Set(before.keys).union(after.keys).sorted().compactMap { key in
        switch (before[key], after[key]) {
        case (nil, let value?): ReleaseDiff.Change(kind: "added", key: key, old: nil, new: value)
        case (let value?, nil): ReleaseDiff.Change(kind: "removed", key: key, old: value, new: nil)
        case (let a?, let b?) where a != b: ReleaseDiff.Change(kind: "changed", key: key, old: a, new: b)
        default: nil
        }
      }
    }
    let before = old.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    let after = new.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    return (0..<max(before.count, after.count)).compactMap { index in
      let a = index < before.count ? before[index] : nil
      let b = index < after.count ? after[index] : nil
      guard a != b else { return nil }
      let kind = a == nil ? "added" : b == nil ? "removed" : "changed"
      return ReleaseDiff.Change(kind: kind, key: "line \(index + 1)", old: a, new: b)
    }
  }
}
