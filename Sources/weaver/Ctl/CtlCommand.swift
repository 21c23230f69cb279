import ArgumentParser
import AsyncHTTPClient
import Foundation
import Synchronization
import WeaverControlPlaneClient

/// `weaver ctl`: the control plane from the command line, for people and scripts.
struct CtlCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ctl",
    abstract: "Talk to a running weaver server: services, instances, config, rules.",
    discussion: """
      The server comes from --server or WEAVER_SERVER (default http://127.0.0.1:8500), the token from --token or \
      WEAVER_TOKEN. A namespace is APP/NAMESPACE (cluster default) or APP/CLUSTER/NAMESPACE. Tables for people; \
      --json for scripts. Exit status: 0 done, 1 refused (bad input, invalid rules, conflict), 2 not found, \
      3 the control plane could not be reached, 64 bad usage.
      """,
    subcommands: [CtlServicesCommand.self, CtlInstancesCommand.self, CtlConfigCommand.self, CtlRulesCommand.self]
  )
}

/// Options every `weaver ctl` command takes.
struct CtlOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Control-plane URL(s), comma-separated (default: WEAVER_SERVER or http://127.0.0.1:8500).", valueName: "url"))
  var server: String?

  @Option(help: ArgumentHelp("Bearer token (default: WEAVER_TOKEN).", valueName: "token"))
  var token: String?

  @Flag(help: "Print JSON instead of tables.")
  var json = false

  @Option(help: ArgumentHelp("PEM file of the CA that signed an https control plane's certificate (default: WEAVER_CA_FILE; else the system's).", valueName: "file"))
  var caFile: String?

  var caFileInUse: String? { caFile ?? ProcessInfo.processInfo.environment["WEAVER_CA_FILE"] }

  /// Loads the CA file up front, so a bad one is a usage error before anything is sent.
  func validate() throws {
    guard let caFile = caFileInUse, Self.clients.withLock({ $0[caFile] }) == nil else { return }
    do {
      let made = try ControlPlaneClient.makeHTTPClient(trustRoots: caFile)
      Self.clients.withLock { $0[caFile] = made }
    } catch {
      throw ValidationError("cannot use the CA file \(caFile): \(error)")
    }
  }

  var client: ControlPlaneClient {
    let environment = ProcessInfo.processInfo.environment
    let servers = (server ?? environment["WEAVER_SERVER"] ?? "http://127.0.0.1:8500").split(separator: ",").map(String.init)
    let configuration = ControlPlaneClient.Configuration(servers: servers, token: token ?? environment["WEAVER_TOKEN"])
    guard let caFile = caFileInUse, let http = Self.clients.withLock({ $0[caFile] }) else { return ControlPlaneClient(configuration: configuration) }
    return ControlPlaneClient(configuration: configuration, httpClient: http)
  }

  /// One HTTP client per CA file, kept for the life of the process (it is short; an
  /// HTTP client must not be dropped without a shutdown).
  private static let clients = Mutex<[String: HTTPClient]>([:])

  /// Runs `body`, turning a control-plane error into a message and an exit status.
  func run(_ body: () async throws(ControlPlaneError) -> Void) async throws {
    do {
      try await body()
    } catch {
      FileHandle.standardError.write(Data("weaver ctl: \(error)\n".utf8))
      switch error {
      case .refused(404, _, _): throw ExitCode(2)
      case .refused: throw ExitCode(1)
      case .unreachable, .unreadable: throw ExitCode(3)
      }
    }
  }

  /// `value` as JSON, or `table` for people.
  func print(_ value: some Encodable, table: () -> String) {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      Swift.print(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self))
    } else {
      Swift.print(table(), terminator: "")
    }
  }
}

/// A namespace as the command line names it.
struct NamespaceArgument: ExpressibleByArgument {
  var app: String
  var cluster: String
  var namespace: String

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard !parts.contains(where: \.isEmpty) else { return nil }
    switch parts.count {
    case 2: (app, cluster, namespace) = (parts[0], "default", parts[1])
    case 3: (app, cluster, namespace) = (parts[0], parts[1], parts[2])
    default: return nil
    }
  }

  static var defaultCompletionKind: CompletionKind { .default }
}

/// Plain aligned columns.
enum TextTable {
  static func render(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { index, cell in index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}
