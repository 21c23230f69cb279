import WeaverCore

/// The rule format described by the code that reads it: the field list, a JSON Schema,
/// the docs' field table and `weaver rules explain`'s listing all come from ``RuleFormat``.
public enum RuleReference {
  /// Every field, with the value `rules` holds for it (the defaults unless told otherwise).
  public static func fields(of rules: MethodRules = MethodRules()) -> [RuleFieldDoc] {
    let sink = RuleSink(file: "", describing: true)
    var copy = rules
    RuleFormat.read(RuleSection(sink: sink, path: "", tree: nil), into: &copy)
    return sink.fields
  }

  /// The effective rules of one method, as YAML a rule file could hold; fields that differ
  /// from the code defaults are marked.
  public static func explain(_ rules: MethodRules, defaults: MethodRules = MethodRules()) -> String {
    let defaultValues = Dictionary(fields(of: defaults).map { ($0.path, $0.current) }, uniquingKeysWith: { a, _ in a })
    var lines: [String] = []
    for field in fields(of: rules) where !field.path.contains("[]") {
      let depth = field.path.split(separator: ".").count - 1
      let indent = String(repeating: "  ", count: depth)
      let name = field.path.split(separator: ".").last.map(String.init) ?? field.path
      switch field.type {
      case .section: lines.append("\(indent)\(name):")
      case .list:
        lines.append("\(indent)\(name):\(rules.faults.isEmpty ? " []" : "")")
        if name == "faults" { lines += rules.faults.map { "\(indent)  - \(describe($0))" } }
      default:
        let changed = defaultValues[field.path] != field.current ? "   # set" : ""
        lines.append("\(indent)\(name): \(field.current)\(changed)")
      }
    }
    return lines.joined(separator: "\n")
  }

  private static func describe(_ fault: FaultRule) -> String {
    var parts: [String] = []
    if let tag = fault.releaseTag { parts.append("releaseTag: \(tag)") }
    if let caller = fault.caller { parts.append("caller: \(caller)") }
    if let delay = fault.delay { parts.append("delay: \(RuleValues.render(delay)), delayPercent: \(RuleValues.renderPercent(fault.delayPercent))") }
    if let abort = fault.abort { parts.append("abort: \(abort.name), abortPercent: \(RuleValues.renderPercent(fault.abortPercent))") }
    return "{\(parts.joined(separator: ", "))}"
  }

  /// The field reference as a Markdown table (`docs/governance.md` holds it).
  public static func markdownTable() -> String {
    var lines = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for field in fields() where field.type != .section {
      let aliases = field.aliases.isEmpty ? "" : " (also `\(field.aliases.joined(separator: "`, `"))`)"
      let type = field.type == .list ? "list" : field.type.summary
      let current = field.type == .list ? "none" : "`\(field.current)`"
      lines.append("| `\(field.path)`\(aliases) | \(type) | \(current) | \(field.doc) |")
    }
    return lines.joined(separator: "\n")
  }

  /// A JSON Schema (draft 2020-12) of the rule file format.
  public static func jsonSchema() -> String { RuleSchema.document(fields()) }
}
