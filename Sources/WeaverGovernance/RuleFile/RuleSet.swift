/// The rules in force for one service: its service-wide rules and each method's, resolved
/// from code defaults and the sources layered on them, checked as a whole.
///
/// ```swift
/// let rules = try RuleSet(service: "FeedService", documents: [
///   RuleDocument(parsing: try String(contentsOfFile: "service.yaml"), file: "service.yaml"),
/// ])
/// rules.rules(for: "getFeed").circuitBreaker.failureRateThreshold   // 60
/// ```
public struct RuleSet: Sendable, Hashable {
  public let service: String
  /// What applies to methods without overrides.
  public let serviceRules: MethodRules
  /// Methods with overrides, resolved.
  public let methods: [String: MethodRules]
  /// The sources, lowest precedence first.
  public let documents: [RuleDocument]
  /// Which swap of its ``RuleStore`` made it current (0: never swapped in): lets the parts
  /// that keep state (breakers, budgets) notice a change with one comparison.
  public internal(set) var generation: UInt64 = 0
  /// The same rules, boxed once per rule set for the call path.
  let resolvedService: ResolvedRules
  let resolvedMethods: [String: ResolvedRules]

  /// Rules from `base` (code defaults) with `documents` layered on it in order (later
  /// documents win, field by field; within a document, method overrides win over its
  /// service level). Contradictions in what results are errors.
  public init(service: String, base: MethodRules = MethodRules(), documents: [RuleDocument] = []) throws(RuleSetError) {
    let sink = RuleSink(file: documents.last?.file ?? "defaults")
    var serviceRules = base
    for document in documents { RuleDocument.read(document.serviceTree, path: "", sink: sink, into: &serviceRules) }
    var methods: [String: MethodRules] = [:]
    for name in Set(documents.flatMap(\.methodTrees.keys)).sorted() {
      var rules = base
      for document in documents {
        RuleDocument.read(document.serviceTree, path: "", sink: sink, into: &rules)
        RuleDocument.read(document.methodTrees[name], path: "methods.\(name)", sink: sink, into: &rules)
      }
      methods[name] = rules
    }
    var problems = sink.problems
    let scopes = [("", serviceRules)] + methods.sorted { $0.key < $1.key }.map { ("methods.\($0.key).", $0.value) }
    let serviceLevel = RuleChecks.contradictions(in: serviceRules).map { "\($0.path) \($0.reason)" }
    for (prefix, rules) in scopes {
      // A method inheriting a service-level contradiction is not told again.
      for (path, reason) in RuleChecks.contradictions(in: rules) where prefix.isEmpty || !serviceLevel.contains("\(path) \(reason)") {
        let fullPath = prefix + path
        let document = documents.last { $0.location(of: fullPath) != $0.tree.location } ?? documents.last
        problems.append(
          RuleProblem(
            file: document?.file ?? "defaults", location: document?.location(of: fullPath) ?? RuleLocation(line: 1, column: 1),
            path: fullPath, reason: reason))
      }
    }
    if !problems.isEmpty { throw RuleSetError(problems) }
    self.service = service
    self.serviceRules = serviceRules
    self.methods = methods
    self.documents = documents
    self.resolvedService = ResolvedRules(serviceRules)
    self.resolvedMethods = methods.mapValues(ResolvedRules.init)
  }

  init(uncheckedService service: String, serviceRules: MethodRules) {
    self.service = service
    self.serviceRules = serviceRules
    self.methods = [:]
    self.documents = []
    self.resolvedService = ResolvedRules(serviceRules)
    self.resolvedMethods = [:]
  }

  /// One YAML or JSON source over code defaults.
  public init(service: String, parsing text: String, file: String, base: MethodRules = MethodRules()) throws(RuleSetError) {
    try self.init(service: service, base: base, documents: [RuleDocument(parsing: text, file: file)])
  }

  /// The rules in force for `method`.
  public func rules(for method: String) -> MethodRules {
    methods[method] ?? serviceRules
  }

  /// The rules in force for `method`, shared.
  public func resolved(for method: String) -> ResolvedRules {
    resolvedMethods.isEmpty ? resolvedService : resolvedMethods[method] ?? resolvedService
  }

  public static func == (lhs: RuleSet, rhs: RuleSet) -> Bool {
    lhs.service == rhs.service && lhs.serviceRules == rhs.serviceRules && lhs.methods == rhs.methods && lhs.documents == rhs.documents
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(service)
    hasher.combine(serviceRules)
    hasher.combine(methods)
  }
}
