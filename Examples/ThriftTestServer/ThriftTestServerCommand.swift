import ArgumentParser
import Foundation
import Logging
import WeaverRPC

/// `weaver-thrifttest-server`: the cross-language `ThriftTest` server, for Apache Thrift's
/// test clients. It serves `ThriftTest` and `SecondService` on one port (`SecondService`
/// through `TMultiplexedProtocol` names), and, like every CloudWeaver server, detects each
/// connection's transport and protocol, so `--protocol` and `--transport` only check that
/// the combination asked for is one it speaks.
@main
struct ThriftTestServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weaver-thrifttest-server",
    abstract: "Serve Apache Thrift's cross-language ThriftTest service (and SecondService).",
    discussion: "Prints 'listening on HOST:PORT' once bound; SIGINT or SIGTERM shuts down gracefully."
  )

  @Option(help: "The port, 1 to 65535; 0 picks a free one.")
  var port: Int = 9090

  @Option(help: "The address to bind.")
  var host: String = "127.0.0.1"

  @Option(help: "binary or compact (each connection's own is detected).")
  var `protocol`: String = "binary"

  @Option(help: "framed, buffered or header (each connection's own is detected).")
  var transport: String = "buffered"

  @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
  var logLevel: String = "warning"

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535 (or 0 for a free one), not \(port)") }
    guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel) is not a level") }
    guard ["binary", "compact"].contains(`protocol`) else {
      throw ValidationError("--protocol \(`protocol`) is not supported: binary and compact are (JSON is not)")
    }
    guard ["framed", "buffered", "header"].contains(transport) else {
      throw ValidationError("--transport \(transport) is not supported: framed, buffered and header are (HTTP is not)")
    }
  }

  func run() async throws {
    var logger = Logger(label: "weaver.thrifttest")
    logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
    let server = ThriftServer(
      serving: [ThriftTest.service(ThriftTestHandler()), SecondService.service(SecondServiceHandler())],
      configuration: ThriftServerConfiguration(host: host, port: port, drainTimeout: .seconds(2)),
      logger: logger)
    try await server.runUntilSignalled(logger: logger) { address in
      // Unbuffered, so a script reading our output sees it at once.
      FileHandle.standardOutput.write(Data("listening on \(address.hostAndPort)\n".utf8))
    }
  }
}
