import WeaverCore

/// Reads one mapping of a rule file into typed values, field by field, and collects every
/// problem instead of stopping at the first: unknown keys (with a suggestion), wrong types,
/// values out of range. In describe mode it reads nothing and records each field it is
/// asked for (for the JSON Schema, the docs and `weaver rules explain`).
final class RuleSection {
  let sink: RuleSink
  let path: String
  let location: RuleLocation
  private let entries: [RuleEntry]
  private var known: [String] = []

  init(sink: RuleSink, path: String, tree: RuleTree?) {
    self.sink = sink
    self.path = path
    switch tree {
    case .mapping(let entries, let location)?:
      self.entries = entries
      self.location = location
    case .null(let location)?:
      self.entries = []
      self.location = location
    case let tree?:
      self.entries = []
      self.location = tree.location
      sink.problem(tree.location, path, "expected a mapping of keys to values")
    case nil:
      self.entries = []
      self.location = RuleLocation(line: 1, column: 1)
    }
  }

  func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The value written for `key` (or one of its aliases); reports when several are.
  func value(_ key: String, aliases: [String] = []) -> RuleEntry? {
    let names = [key] + aliases
    known += names
    let found = entries.filter { names.contains($0.key) }
    if found.count > 1 {
      sink.problem(found[1].keyLocation, childPath(found[1].key), "says the same as '\(found[0].key)': keep one of them")
    }
    return found.first
  }

  /// Reports every key no field asked for; call once all fields are read.
  func finish() {
    guard !sink.describing else { return }
    for entry in entries where !known.contains(entry.key) {
      let hint = Self.closest(to: entry.key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
      sink.problem(entry.keyLocation, childPath(entry.key), "unknown key\(hint)")
    }
  }

  /// A nested section; `read` fills it.
  func section(_ key: String, aliases: [String] = [], doc: String, _ read: (RuleSection) -> Void) {
    let entry = value(key, aliases: aliases)
    let child = RuleSection(sink: sink, path: childPath(entry?.key ?? key), tree: entry?.value)
    sink.describe(RuleFieldDoc(path: childPath(key), aliases: aliases, type: .section, current: "", doc: doc))
    read(child)
    child.finish()
  }

  /// Reads a scalar field: `parse` turns the text into a value or says why it cannot.
  func scalar<T>(
    _ key: String, aliases: [String], type: RuleFieldType, doc: String, into target: inout T,
    render: (T) -> String, parse: (String) -> Result<T, RuleReason>
  ) {
    sink.describe(RuleFieldDoc(path: childPath(key), aliases: aliases, type: type, current: render(target), doc: doc))
    guard let entry = value(key, aliases: aliases) else { return }
    let fieldPath = childPath(entry.key)
    switch entry.value {
    case .scalar(let text, let location):
      switch parse(text) {
      case .success(let value): target = value
      case .failure(let reason): sink.problem(location, fieldPath, reason.text)
      }
    case .null(let location):
      switch parse("off") {
      case .success(let value): target = value
      case .failure: sink.problem(location, fieldPath, "needs a value (\(type.summary))")
      }
    case .mapping(_, let location), .sequence(_, let location):
      sink.problem(location, fieldPath, "expected \(type.summary), not a \(entry.value.kindName)")
    }
  }

  /// Reads a list of scalars.
  func list<T>(
    _ key: String, aliases: [String] = [], type: RuleFieldType, doc: String, into target: inout [T],
    render: (T) -> String, parse: (String) -> Result<T, RuleReason>
  ) {
    sink.describe(RuleFieldDoc(path: childPath(key), aliases: aliases, type: type, current: "[\(target.map(render).joined(separator: ", "))]", doc: doc))
    guard let entry = value(key, aliases: aliases) else { return }
    let fieldPath = childPath(entry.key)
    switch entry.value {
    case .sequence(let items, _):
      var values: [T] = []
      for (index, item) in items.enumerated() {
        guard case .scalar(let text, let location) = item else {
          sink.problem(item.location, "\(fieldPath)[\(index)]", "expected \(type.summary)")
          continue
        }
        switch parse(text) {
        case .success(let value): values.append(value)
        case .failure(let reason): sink.problem(location, "\(fieldPath)[\(index)]", reason.text)
        }
      }
      target = values
    case .null: target = []
    case .scalar(_, let location), .mapping(_, let location):
      sink.problem(location, fieldPath, "expected a list (\(type.summary) each)")
    }
  }

  /// Reads a list of mappings, each by `read` (which starts from `element`'s defaults).
  func objects<T>(_ key: String, doc: String, element: T, into target: inout [T], _ read: (RuleSection, inout T) -> Void) {
    sink.describe(RuleFieldDoc(path: childPath(key), aliases: [], type: .list, current: "[]", doc: doc))
    if sink.describing {
      var sample = element
      let child = RuleSection(sink: sink, path: childPath(key) + "[]", tree: nil)
      read(child, &sample)
      return
    }
    guard let entry = value(key) else { return }
    switch entry.value {
    case .sequence(let items, _):
      target = items.enumerated().map { index, item in
        var value = element
        let child = RuleSection(sink: sink, path: "\(childPath(entry.key))[\(index)]", tree: item)
        read(child, &value)
        child.finish()
        return value
      }
    case .null: target = []
    default: sink.problem(entry.value.location, childPath(entry.key), "expected a list of mappings")
    }
  }

  /// The known key nearest to `key` by edit distance, if it is near enough to be a typo.
  static func closest(to key: String, in known: [String]) -> String? {
    if let prefixed = known.first(where: { $0.lowercased().hasPrefix(key.lowercased()) && key.count >= 4 }) { return prefixed }
    let scored = known.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
    return best.0
  }

  private static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(1, b.count) where !b.isEmpty {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
  }
}

/// Why a value was rejected (one line).
struct RuleReason: Error {
  var text: String
  init(_ text: String) { self.text = text }
}

extension RuleTree {
  var kindName: String {
    switch self {
    case .scalar: "value"
    case .mapping: "mapping"
    case .sequence: "list"
    case .null: "null"
    }
  }
}

/// Where a reading's problems and field descriptions go.
final class RuleSink {
  let file: String
  let describing: Bool
  private(set) var problems: [RuleProblem] = []
  private(set) var fields: [RuleFieldDoc] = []

  init(file: String, describing: Bool = false) {
    self.file = file
    self.describing = describing
  }

  func problem(_ location: RuleLocation, _ path: String, _ reason: String) {
    problems.append(RuleProblem(file: file, location: location, path: path, reason: reason))
  }

  func describe(_ field: RuleFieldDoc) {
    if describing { fields.append(field) }
  }
}
