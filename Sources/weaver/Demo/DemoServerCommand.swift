import ArgumentParser
import Foundation
import Logging
import WeaverExampleModels
import WeaverRPC

/// `weaver demo server`: the example feed service on a loopback port, until SIGTERM.
struct DemoServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server", abstract: "Serve the example FeedService (weaver demo starts it for you).")

  @OptionGroup var serving: ServingOptions

  func run() async throws {
    serving.prepareProcess()
    let logger = serving.logger(label: "weaver.demo.server")
    let printer = DemoCallPrinter()
    let server = ThriftServer(
      serving: [FeedService.service(DemoFeedService())],
      configuration: ThriftServerConfiguration(
        host: serving.host, port: serving.port, drainTimeout: .seconds(2), middlewares: [printer]),
      logger: logger)
    do {
      try await server.runUntilSignalled(logger: logger) { address in
        DemoOutput.line("listening on \(address.hostAndPort)")
      }
    } catch let error as ThriftServerError {
      throw error.withAdvice
    }
    DemoOutput.line("served \(printer.calls.load(ordering: .relaxed)) calls; shut down gracefully on SIGTERM")
  }
}
