/// One source of rules (a `service.yaml`, a config-center entry), parsed and checked alone:
/// its service-level rules and its per-method overrides, still as written, so sources can
/// be layered (a later source's fields win, field by field).
public struct RuleDocument: Sendable, Hashable {
  /// Where it came from (a path, `config-center`): errors name it.
  public let file: String
  /// The service it names (`service:`), if it does.
  public let service: String?
  let serviceTree: RuleTree?
  let methodTrees: [String: RuleTree]
  let tree: RuleTree

  /// Parses YAML or JSON and checks every field: all problems are reported together.
  public init(parsing text: String, file: String) throws(RuleSetError) {
    let tree = try RuleTree.parse(text, file: file)
    let sink = RuleSink(file: file)
    var service: String?
    var methods: [String: RuleTree] = [:]
    var serviceEntries: [RuleEntry] = []
    switch tree {
    case .mapping(let entries, _):
      for entry in entries {
        switch entry.key {
        case "service":
          if case .scalar(let name, _) = entry.value, !name.isEmpty { service = name } else {
            sink.problem(entry.value.location, "service", "expected the service's name")
          }
        case "methods":
          guard case .mapping(let methodEntries, _) = entry.value else {
            if case .null = entry.value { continue }
            sink.problem(entry.value.location, "methods", "expected a mapping of method names to rules")
            continue
          }
          for method in methodEntries { methods[method.key] = method.value }
        default:
          serviceEntries.append(entry)
        }
      }
    case .null:
      break
    default:
      sink.problem(tree.location, "", "expected a mapping of rules (circuitBreaker:, retry:, …)")
    }
    self.file = file
    self.service = service
    self.tree = tree
    self.serviceTree = .mapping(serviceEntries, tree.location)
    self.methodTrees = methods
    // Read every scope over the defaults: unknown keys, types, ranges.
    var serviceRules = MethodRules()
    RuleDocument.read(serviceTree, path: "", sink: sink, into: &serviceRules)
    for (name, methodTree) in methods.sorted(by: { $0.key < $1.key }) {
      var rules = serviceRules
      RuleDocument.read(methodTree, path: "methods.\(name)", sink: sink, into: &rules)
      Self.reportServiceWide(in: methodTree, path: "methods.\(name)", sink: sink)
    }
    if !sink.problems.isEmpty { throw RuleSetError(sink.problems.sorted { $0.location.line < $1.location.line }) }
  }

  /// Rules that belong to the whole service (instances, the retry budget, the client's
  /// concurrency), written under one method: an error, not silently ignored.
  static let serviceWide: [[String]] = [
    ["instanceBreaker"], ["retry", "budgetPercent"], ["retry", "budgetMinPerSecond"], ["retry", "budgetWindow"],
    ["limits", "clientMaxInFlight"],
  ]

  static func reportServiceWide(in tree: RuleTree, path: String, sink: RuleSink) {
    for keys in serviceWide {
      let found = tree.entries(along: keys)
      if found.count == keys.count, let last = found.last {
        sink.problem(last.keyLocation, "\(path).\(keys.joined(separator: "."))", "applies to the whole service: move it out of methods")
      }
    }
  }

  static func read(_ tree: RuleTree?, path: String, sink: RuleSink, into rules: inout MethodRules) {
    let section = RuleSection(sink: sink, path: path, tree: tree)
    RuleFormat.read(section, into: &rules)
    section.finish()
  }

  /// Where `path` (dot-separated, `methods.getFeed.retry.maxAttempts`) is written, or the
  /// nearest enclosing field that is.
  func location(of path: String) -> RuleLocation {
    let keys = path.split(separator: ".").map { $0.split(separator: "[").first.map(String.init) ?? String($0) }
    return tree.entries(along: keys).last?.keyLocation ?? tree.location
  }
}
