import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import NIOSSL
import WeaverControlPlane
import WeaverRPC
import WeaverStore

/// `weaver server`: the control plane on the embedded store.
struct ServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server",
    abstract:
      "Run the control plane: service registry and config center over HTTP/JSON under /v1 (and Apollo's client API), and the web console under /console, on an embedded SQLite store.",
    discussion: """
      Keeps everything in DIR/weaver.sqlite (created on first start). Prints 'listening on HOST:PORT' once it \
      accepts requests, then the console's URL; SIGINT or SIGTERM shuts it down gracefully. With --token-file, writes need \
      'Authorization: Bearer TOKEN' with one of the file's tokens (one per line); with --protect-reads, reads too.
      """
  )

  @Option(help: ArgumentHelp("Where the store's file lives (created if missing).", valueName: "dir"))
  var dataDir: String = "weaver-data"

  @Option(help: ArgumentHelp("Address to listen on (port 0: any free port).", valueName: "host:port"))
  var listen: String = "127.0.0.1:8500"

  @Option(help: ArgumentHelp("File of bearer tokens, one per line, that may write.", valueName: "file"))
  var tokenFile: String?

  @Flag(help: "Reads need a token too (with --token-file).")
  var protectReads = false

  @Option(help: ArgumentHelp("How long Apollo's /notifications/v2 holds a request without a change.", valueName: "duration"))
  var apolloHold: DurationArgument = DurationArgument(argument: "60s")!

  @Option(help: ArgumentHelp(
    "File of Apollo access keys, APP=SECRET per line: those apps' Apollo reads must be signed (an app may have several keys).",
    valueName: "file"))
  var apolloAccessKeys: String?

  @Option(help: ArgumentHelp("PEM certificate chain (server first): serve HTTPS, TLS 1.3 at least (with --tls-key).", valueName: "file"))
  var tlsCert: String?

  @Option(help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
  var tlsKey: String?

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel: Logger.Level = .info

  func validate() throws {
    guard ListenAddress(listen) != nil else { throw ValidationError("--listen must be HOST:PORT (port 0…65535); got '\(listen)'") }
    if protectReads && tokenFile == nil { throw ValidationError("--protect-reads needs --token-file") }
    if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
  }

  func run() async throws {
    // Logs to stderr: stdout carries the 'listening on' line scripts read.
    var logger = Logger(label: "weaver.server") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = logLevel
    let address = ListenAddress(listen)!
    let tokens = try tokenFile.map(Self.tokens(in:)) ?? []
    let accessKeys = try apolloAccessKeys.map(Self.accessKeys(in:)) ?? [:]
    var tls: TLSConfiguration?
    if let tlsCert, let tlsKey {
      do {
        tls = try ControlPlaneServer.tls(certificateChain: tlsCert, privateKey: tlsKey)
      } catch {
        throw ValidationError("cannot use --tls-cert \(tlsCert) and --tls-key \(tlsKey): \(error)")
      }
    }
    try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    let store = try await SQLiteStore.open(path: dataDir + "/weaver.sqlite", logger: logger)
    let scheme = tls == nil ? "http" : "https"
    let server = ControlPlaneServer(
      store: store, configuration: .init(
        host: address.host, port: address.port, tokens: tokens, protectReads: protectReads, apolloHold: apolloHold.duration,
        apolloAccessKeys: ApolloAccessKeys(secrets: accessKeys), tls: tls),
      logger: logger
    ) { bound in
      // Unbuffered, so a script reading our output sees it at once.
      FileHandle.standardOutput.write(Data("listening on \(bound.hostAndPort)\n".utf8))
      FileHandle.standardOutput.write(Data("console: \(scheme)://\(bound.hostAndPort)/console\n".utf8))
    }
    var configuration = ServiceGroupConfiguration(
      services: [.init(service: store), .init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    // A connection that never finishes cannot hold a shutdown: after 10 s the rest is cancelled.
    configuration.maximumGracefulShutdownDuration = .seconds(10)
    let group = ServiceGroup(configuration: configuration)
    try await group.run()
  }

  /// The access keys of an `--apollo-access-keys` file.
  static func accessKeys(in path: String) throws -> [String: [String]] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read --apollo-access-keys \(path)") }
    do {
      let keys = try ApolloAccessKeys.parse(text)
      guard !keys.isEmpty else { throw ValidationError("--apollo-access-keys \(path) holds no key") }
      return keys
    } catch let error as APIError {
      throw ValidationError("--apollo-access-keys \(path): \(error.message)")
    }
  }

  /// The tokens of a token file: one per line, blank lines and `#` comments skipped.
  static func tokens(in path: String) throws -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read --token-file \(path)") }
    let tokens = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    guard !tokens.isEmpty else { throw ValidationError("--token-file \(path) holds no token") }
    return tokens
  }
}

/// `HOST:PORT` as an option gives it.
struct ListenAddress {
  var host: String
  var port: Int

  init?(_ text: String) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
    let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    guard !host.isEmpty else { return nil }
    self.host = host
    self.port = port
  }
}
