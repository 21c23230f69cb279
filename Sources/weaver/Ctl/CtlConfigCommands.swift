import ArgumentParser
import Foundation
import WeaverControlPlaneClient
import WeaverControlPlaneModels

/// `weaver ctl config …`.
struct CtlConfigCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Config namespaces: read, edit, publish, history, diff, rollback, gray release.",
    subcommands: [
      CtlConfigGet.self, CtlConfigSet.self, CtlConfigPut.self, CtlConfigPublish.self, CtlConfigHistory.self, CtlConfigDiff.self,
      CtlConfigRollback.self, CtlConfigGray.self,
    ])
}

/// The author a change is recorded under: `--author`, else the user.
func ctlAuthor(_ given: String?) -> String {
  given ?? ProcessInfo.processInfo.environment["USER"] ?? "weaver-ctl"
}

struct CtlConfigGet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "get", abstract: "Print the content in force (or a release's, or the draft).")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Option(help: "A release number instead of the one in force.") var release: Int?
  @Flag(help: "The unpublished draft instead.") var draft = false
  @Option(help: "As the client with this address sees it (a gray release may select it).") var ip: String?
  @Option(name: .customLong("label"), help: "As a client with this KEY=VALUE label sees it (repeatable).") var labels: [String] = []

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let client = options.client
      if let release {
        let found = try await client.release(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, number: release)
        options.print(found) { found.content.hasSuffix("\n") ? found.content : found.content + "\n" }
        return
      }
      let reader = ip != nil || !labels.isEmpty ? ConfigClient(ip: ip, labels: Dictionary(labels.map(CtlConfigGray.pair), uniquingKeysWith: { $1 })) : nil
      let state = try await client.namespace(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, client: reader)
      let content = (draft ? state.draft : state.current?.content) ?? ""
      options.print(state) { content.isEmpty || content.hasSuffix("\n") ? content : content + "\n" }
    }
  }
}

struct CtlConfigSet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Set one key in a properties namespace's draft (from the draft, else the content in force).")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Argument(help: "The key.") var key: String
  @Argument(help: "The value.") var value: String

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let client = options.client
      var base = ""
      var format = ConfigFormat.properties
      do throws(ControlPlaneError) {
        let state = try await client.namespace(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace)
        base = state.draft ?? state.current?.content ?? ""
        format = state.format
      } catch {
        guard error.isNotFound else { throw error }  // else: a new namespace
      }
      guard format == .properties else {
        throw ControlPlaneError.refused(status: 400, code: "invalid_argument", message: "set edits properties namespaces; this one is \(format.rawValue): use put")
      }
      let state = try await client.saveDraft(
        app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, ConfigDraft(content: Self.setting(key, to: value, in: base)))
      options.print(state) { "draft of \(namespace.app)/\(namespace.cluster)/\(namespace.namespace): \(key)=\(value) (publish to apply)\n" }
    }
  }

  /// `content` with `key` set to `value`: its line replaced, or a line added.
  static func setting(_ key: String, to value: String, in content: String) -> String {
    var lines = content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let line = "\(key)=\(value)"
    if let index = lines.firstIndex(where: { existing in
      let trimmed = existing.trimmingCharacters(in: .whitespaces)
      guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return false }
      return trimmed[..<separator].trimmingCharacters(in: .whitespaces) == key
    }) {
      lines[index] = line
    } else {
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

struct CtlConfigPut: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "put", abstract: "Save a file (or standard input) as a namespace's draft.")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Argument(help: "The file (- for standard input).") var file: String
  @Option(help: "properties, yaml, json or text (a new namespace's format; default from the file's extension).") var format: ConfigFormat?

  func run() async throws {
    let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
    guard let data else { throw ValidationError("cannot read \(file)") }
    let guessed = format ?? Self.format(ofFile: file)
    try await options.run { () async throws(ControlPlaneError) in
      let state = try await options.client.saveDraft(
        app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace,
        ConfigDraft(format: guessed, content: String(decoding: data, as: UTF8.self)))
      options.print(state) { "draft of \(namespace.app)/\(namespace.cluster)/\(namespace.namespace) saved (\(state.format.rawValue)); publish to apply\n" }
    }
  }

  static func format(ofFile path: String) -> ConfigFormat? {
    switch (path as NSString).pathExtension.lowercased() {
    case "yaml", "yml": .yaml
    case "json": .json
    case "properties": .properties
    case "txt": .text
    default: nil
    }
  }
}

extension ConfigFormat: ExpressibleByArgument {}

struct CtlConfigPublish: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "publish", abstract: "Publish the draft as the next release.")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Option(help: "Why (kept with the release).") var comment: String?
  @Option(help: "Who (default: $USER).") var author: String?

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let release = try await options.client.publishDraft(
        app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, PublishRequest(author: ctlAuthor(author), comment: comment))
      options.print(release) { "published release \(release.number) of \(namespace.app)/\(namespace.cluster)/\(namespace.namespace)\n" }
    }
  }
}

struct CtlConfigHistory: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "history", abstract: "Every release, newest first.")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let releases = try await options.client.history(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace)
      options.print(releases) {
        TextTable.render(
          ["RELEASE", "KIND", "AUTHOR", "WHEN", "COMMENT"],
          releases.map { release in
            let kind = release.kind + (release.rolledBackTo.map { " to \($0)" } ?? "") + (release.promotedFrom.map { " of \($0)" } ?? "")
            return [String(release.number), kind, release.author, release.createdAt, release.comment]
          })
      }
    }
  }
}

struct CtlConfigDiff: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "diff", abstract: "What changed between two releases (default: the last two).")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Argument(help: "From release.") var from: Int?
  @Argument(help: "To release.") var to: Int?

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let client = options.client
      var (from, to) = (from, to)
      if from == nil || to == nil {
        let latest = try await client.history(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace).first?.number ?? 0
        to = to ?? latest
        from = from ?? max(1, (to ?? 1) - 1)
      }
      let diff = try await client.diff(app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace, from: from ?? 1, to: to ?? 1)
      options.print(diff) {
        diff.changes.isEmpty ? "no change from release \(diff.from) to \(diff.to)\n" : diff.changes.map { change in
          switch change.kind {
          case "added": "+ \(change.key)=\(change.new ?? "")"
          case "removed": "- \(change.key)=\(change.old ?? "")"
          default: "~ \(change.key): \(change.old ?? "") → \(change.new ?? "")"
          }
        }.joined(separator: "\n") + "\n"
      }
    }
  }
}

struct CtlConfigRollback: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback", abstract: "Publish an earlier release's content again (default: the one before the current).")

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Option(help: "The release to go back to.") var to: Int?
  @Option(help: "Why (kept with the release).") var comment: String?
  @Option(help: "Who (default: $USER).") var author: String?

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let release = try await options.client.rollback(
        app: namespace.app, cluster: namespace.cluster, namespace: namespace.namespace,
        RollbackRequest(to: to, author: ctlAuthor(author), comment: comment))
      options.print(release) { "release \(release.number) brings back release \(release.rolledBackTo ?? 0)\n" }
    }
  }
}
