import ArgumentParser
import Foundation
import Logging
import WeaverExampleModels
import WeaverRPC

/// `weaver demo server`: the example feed service on a loopback port, until SIGTERM.
struct DemoServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server", abstract: "Serve the example FeedService (weaver demo starts it for you).")

  @Option(help: "The port; 0 picks a free one.")
  var port: Int = 0

  func run() async throws {
    var logger = Logger(label: "weaver.demo.server")
    logger.logLevel = .warning
    let printer = DemoCallPrinter()
    let server = ThriftServer(
      serving: [FeedService.service(DemoFeedService())],
      configuration: ThriftServerConfiguration(port: port, drainTimeout: .seconds(2), middlewares: [printer]),
      logger: logger)
    try await server.runUntilSignalled(logger: logger) { address in
      DemoOutput.line("listening on 127.0.0.1:\(address.port ?? port)")
    }
    DemoOutput.line("served \(printer.calls.load(ordering: .relaxed)) calls; shut down gracefully on SIGTERM")
  }
}
