import ArgumentParser
import Foundation
import WeaverGovernance

/// `weaver rules`: check and explain governance rule files.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "Check and explain governance rule files (service.yaml).",
    subcommands: [RulesCheckCommand.self, RulesExplainCommand.self, RulesSchemaCommand.self]
  )
}

/// `weaver rules check FILE…`
struct RulesCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate rule files; print every problem as file:line:column: error: field: reason.",
    discussion: "Exits 1 if any file has a problem. A file may be YAML or JSON."
  )

  @Argument(help: "The rule files.")
  var files: [String]

  func run() throws {
    var failed = false
    for file in files {
      do {
        let document = try RulesFile.load(file)
        _ = try RuleSet(service: document.service ?? "service", documents: [document])
        print("\(file): ok")
      } catch let error as RuleSetError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        failed = true
      }
    }
    if failed { throw ExitCode.failure }
  }
}

/// `weaver rules explain FILE SERVICE METHOD`
struct RulesExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Print the rules in force for one method, after defaults and overrides (# set marks what the file changed)."
  )

  @Argument(help: "The rule file.")
  var file: String
  @Argument(help: "The service the rules are for.")
  var service: String
  @Argument(help: "The method.")
  var method: String

  func run() throws {
    do {
      let document = try RulesFile.load(file)
      if let named = document.service, named != service {
        throw CommandFailure(description: "\(file) holds the rules of \(named), not \(service)")
      }
      let rules = try RuleSet(service: service, documents: [document])
      print("# \(service).\(method), from \(file)\(rules.methods[method] == nil ? " (no override for this method)" : "")")
      print(RuleReference.explain(rules.rules(for: method)))
    } catch let error as RuleSetError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}

/// `weaver rules schema`
struct RulesSchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema", abstract: "Print the JSON Schema of rule files (or, with --markdown, the field reference).")

  @Flag(help: "Print the field reference as a Markdown table instead (docs/governance.md holds it).")
  var markdown = false

  func run() throws {
    if markdown {
      print(RuleReference.markdownTable())
    } else {
      print(RuleReference.jsonSchema(), terminator: "")
    }
  }
}

/// Reading a rule file from disk.
enum RulesFile {
  static func load(_ path: String) throws -> RuleDocument {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure(description: "cannot read \(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw RuleSetError([RuleProblem(file: path, location: RuleLocation(line: 1, column: 1), path: "", reason: "not UTF-8 text")])
    }
    return try RuleDocument(parsing: text, file: path)
  }
}
