/// A rule set that was rejected, with every problem found in it.
public struct RuleSetError: Error, Sendable, Hashable, CustomStringConvertible {
  public var problems: [RuleProblem]

  public init(_ problems: [RuleProblem]) {
    self.problems = problems
  }

  /// One problem per line, like a compiler: `service.yaml:3:25: error: circuitBreaker.…`.
  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// One thing wrong with a rule file: where, which field, and why.
public struct RuleProblem: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var location: RuleLocation
  /// The field's path, dot-separated (`methods.getFeed.retry.maxAttempts`).
  public var path: String
  public var reason: String

  public init(file: String, location: RuleLocation, path: String, reason: String) {
    self.file = file
    self.location = location
    self.path = path
    self.reason = reason
  }

  public var description: String {
    "\(file):\(location): error: \(path.isEmpty ? "" : "\(path): ")\(reason)"
  }
}
