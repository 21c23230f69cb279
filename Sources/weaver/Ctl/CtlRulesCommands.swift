import ArgumentParser
import Foundation
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverGovernance

/// `weaver ctl rules validate|publish FILE`.
struct CtlRulesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "Governance rules: check a file, publish it to a service's governance namespace.",
    subcommands: [CtlRulesValidate.self, CtlRulesPublish.self])
}

struct CtlRulesValidate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check a rule file as the control plane will (no server needed).")

  @Argument(help: "The rule file (YAML or JSON).") var file: String
  @Option(help: "The service the rules are for.") var service: String = "service"

  func run() async throws {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
    do {
      _ = try RuleSet(service: service, parsing: text, file: file)
      print("\(file): valid")
    } catch {
      FileHandle.standardError.write(Data("\(error.description)\n".utf8))
      throw ExitCode(1)
    }
  }
}

struct CtlRulesPublish: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "publish", abstract: "Publish a rule file as SERVICE's governance namespace (validated by the server first).")

  @OptionGroup var options: CtlOptions
  @Argument(help: "The rule file (YAML or JSON).") var file: String
  @Option(help: "The service (its app's governance namespace).") var service: String
  @Option(help: "The cluster.") var cluster: String = "default"
  @Option(help: "Why (kept with the release).") var comment: String?
  @Option(help: "Who (default: $USER).") var author: String?

  func run() async throws {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
    let format: ConfigFormat = file.hasSuffix(".json") ? .json : .yaml
    try await options.run { () async throws(ControlPlaneError) in
      let release = try await options.client.publish(
        app: service, cluster: cluster, namespace: "governance", ConfigDraft(format: format, content: text), author: ctlAuthor(author), comment: comment)
      options.print(release) { "published the rules of \(service) as release \(release.number)\n" }
    }
  }
}
