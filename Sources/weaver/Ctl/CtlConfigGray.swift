import ArgumentParser
import WeaverControlPlaneClient
import WeaverControlPlaneModels

/// `weaver ctl config gray`: publish the draft to some clients, then promote or abandon.
struct CtlConfigGray: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gray",
    abstract: "Publish the draft as a gray release to the clients a rule selects; then --promote it to all, or --abandon it.",
    discussion: """
      weaver ctl config gray demo/application --label release=canary --percentage 10
      weaver ctl config gray demo/application --promote --comment "canary looks good"
      weaver ctl config gray demo/application --abandon
      """)

  @OptionGroup var options: CtlOptions
  @Argument(help: "APP/NAMESPACE or APP/CLUSTER/NAMESPACE.") var namespace: NamespaceArgument
  @Option(name: .customLong("ip"), help: "A client address the gray release goes to (repeatable).") var ips: [String] = []
  @Option(name: .customLong("label"), help: "KEY=VALUE a client carries to get it (repeatable; all must match).") var labels: [String] = []
  @Option(help: "A stable share of clients, 1–100.") var percentage: Int?
  @Flag(help: "Make the gray release the main one, for everyone.") var promote = false
  @Flag(help: "End the gray release: its clients go back to the main release.") var abandon = false
  @Option(help: "Why (kept with the release).") var comment: String?
  @Option(help: "Who (default: $USER).") var author: String?

  func validate() throws {
    let ruled = !ips.isEmpty || !labels.isEmpty || percentage != nil
    guard [ruled, promote, abandon].filter({ $0 }).count == 1 else {
      throw ValidationError("give a rule (--ip, --label, --percentage), or --promote, or --abandon")
    }
    for label in labels where !label.contains("=") || label.hasPrefix("=") {
      throw ValidationError("--label takes KEY=VALUE; got '\(label)'")
    }
  }

  func run() async throws {
    let (app, cluster, name) = (namespace.app, namespace.cluster, namespace.namespace)
    let request = PublishRequest(author: ctlAuthor(author), comment: comment)
    try await options.run { () async throws(ControlPlaneError) in
      let client = options.client
      if promote {
        let release = try await client.promoteGray(app: app, cluster: cluster, namespace: name, request)
        options.print(release) { "release \(release.number) promotes gray release \(release.promotedFrom ?? 0) to every client\n" }
      } else if abandon {
        let state = try await client.abandonGray(app: app, cluster: cluster, namespace: name, request)
        options.print(state) { "gray release abandoned; every client is on release \(state.current?.number ?? 0)\n" }
      } else {
        let rule = GrayRule(
          ips: ips.isEmpty ? nil : ips,
          labels: labels.isEmpty ? nil : Dictionary(labels.map(Self.pair), uniquingKeysWith: { $1 }), percentage: percentage)
        let gray = try await client.publishGray(
          app: app, cluster: cluster, namespace: name, GrayPublishRequest(rule: rule, author: request.author, comment: comment))
        options.print(gray) { "gray release \(gray.release.number) of \(app)/\(cluster)/\(name) beside release \(gray.base ?? 0)\n" }
      }
    }
  }

  static func pair(_ label: String) -> (String, String) {
    let parts = label.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
  }
}
