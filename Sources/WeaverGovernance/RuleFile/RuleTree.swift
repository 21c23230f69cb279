import Yams

/// A rule document as parsed, before it means anything: scalars, mappings and sequences,
/// each with where it was written (for compiler-style errors).
public indirect enum RuleTree: Sendable, Hashable {
  case scalar(String, RuleLocation)
  case mapping([RuleEntry], RuleLocation)
  case sequence([RuleTree], RuleLocation)
  case null(RuleLocation)

  /// The entries along `keys` (`["retry", "maxAttempts"]`), as far as they are written.
  func entries(along keys: [String]) -> [RuleEntry] {
    var node = self
    var found: [RuleEntry] = []
    for key in keys {
      guard case .mapping(let entries, _) = node, let entry = entries.first(where: { $0.key == key }) else { break }
      found.append(entry)
      node = entry.value
    }
    return found
  }

  public var location: RuleLocation {
    switch self {
    case .scalar(_, let location), .mapping(_, let location), .sequence(_, let location), .null(let location): location
    }
  }

  /// Parses YAML (JSON is YAML too). Duplicate keys and syntax errors are reported with their
  /// line and column.
  public static func parse(_ text: String, file: String) throws(RuleSetError) -> RuleTree {
    let start = RuleLocation(line: 1, column: 1)
    guard text.utf8.count <= maxBytes else {
      throw RuleSetError([RuleProblem(file: file, location: start, path: "", reason: "\(text.utf8.count) bytes: a rule file may hold \(maxBytes) at most")])
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw RuleSetError([RuleProblem(file: file, location: Self.location(of: error), path: "", reason: Self.reason(of: error))])
    } catch {
      throw RuleSetError([RuleProblem(file: file, location: RuleLocation(line: 1, column: 1), path: "", reason: "\(error)")])
    }
    guard let node else { return .mapping([], start) }  // an empty file: no rules
    var budget = maxNodes
    guard let tree = RuleTree(node, budget: &budget) else {
      throw RuleSetError([
        RuleProblem(file: file, location: start, path: "", reason: "more than \(maxNodes) values (YAML aliases expand to copies): not a rule file")
      ])
    }
    return tree
  }

  /// The largest rule file read (1 MiB), and the most values it may expand to: far beyond
  /// any real rule set, and far below what could stall a service (a "billion laughs"
  /// document of nested aliases is refused, not expanded).
  public static let maxBytes = 1 << 20
  public static let maxNodes = 100_000

  /// The tree of `node`, or nil once more than `budget` nodes were made.
  init?(_ node: Node, budget: inout Int) {
    budget -= 1
    guard budget >= 0 else { return nil }
    let location = node.mark.map { RuleLocation(line: $0.line, column: $0.column) } ?? RuleLocation(line: 0, column: 0)
    switch node {
    case .scalar(let scalar):
      let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
      self = isNull ? .null(location) : .scalar(scalar.string, location)
    case .mapping(let mapping):
      var entries: [RuleEntry] = []
      for (key, value) in mapping {
        guard let keyTree = RuleTree(key, budget: &budget), let valueTree = RuleTree(value, budget: &budget) else { return nil }
        entries.append(RuleEntry(key: key.string ?? "\(key)", keyLocation: keyTree.location, value: valueTree))
      }
      self = .mapping(entries, location)
    case .sequence(let sequence):
      var items: [RuleTree] = []
      for item in sequence {
        guard let tree = RuleTree(item, budget: &budget) else { return nil }
        items.append(tree)
      }
      self = .sequence(items, location)
    case .alias:
      self = .null(location)  // compose() resolves aliases; nothing else reaches here
    }
  }

  private static func location(of error: YamlError) -> RuleLocation {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      RuleLocation(line: mark.line, column: mark.column)
    case .duplicatedKeysInMapping(_, let context):
      RuleLocation(line: context.mark.line, column: context.mark.column)
    default:
      RuleLocation(line: 1, column: 1)
    }
  }

  private static func reason(of error: YamlError) -> String {
    switch error {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
      "not valid YAML: \(problem)"
    case .duplicatedKeysInMapping(let duplicates, _):
      "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
    default:
      "not valid YAML: \(error)"
    }
  }
}

/// One `key: value` of a mapping.
public struct RuleEntry: Sendable, Hashable {
  public var key: String
  public var keyLocation: RuleLocation
  public var value: RuleTree
}

/// A line and column in a rule file, from 1.
public struct RuleLocation: Sendable, Hashable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }
}
