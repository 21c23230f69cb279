import ArgumentParser
import Foundation
import NIOCore
import WeaverCodegen
import WeaverExampleModels
import WeaverThrift

/// `weaver demo`: CloudWeaver end to end on the example feed service.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Show CloudWeaver end to end on the example feed service.",
    subcommands: [DemoTourCommand.self, DemoServerCommand.self, DemoClientCommand.self],
    defaultSubcommand: DemoTourCommand.self)
}

/// `weaver demo` (`weaver demo tour`): generates Swift from `Examples/Models/Feed.thrift`,
/// encodes and decodes a value of the generated types in both protocols, then starts the
/// feed service and a client in two processes that talk over loopback (TTHeader), with
/// metadata and deadlines flowing from one to the other, and shuts the service down.
struct DemoTourCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tour", abstract: "Generate, encode, then run a service and a client in two processes.")

  @Option(help: "The example IDL to generate from.")
  var idl: String = "Examples/Models/Feed.thrift"

  func run() async throws {
    DemoOutput.line("CloudWeaver demo\n")
    try generate()
    try roundTrip()
    try await runServiceAndClient()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-demo-rules-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await DemoGovernance(directory: directory).run()
    try await DemoControlPlane(directory: directory.appendingPathComponent("control-plane")).run()
    DemoOutput.line("\nAll steps succeeded.")
  }

  private func generate() throws {
    DemoOutput.line("1. weaver gen \(idl)")
    guard FileManager.default.fileExists(atPath: idl) else {
      throw ValidationError("\(idl) not found: run the demo from the CloudWeaver checkout, or pass --idl PATH")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-demo-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = try ThriftCodegenRunner.run(ThriftCodegenRequest(files: [idl], outputDirectory: directory.path))
    for path in report.generated {
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let declarations = text.split(separator: "\n").filter {
        $0.hasPrefix("public struct") || $0.hasPrefix("public enum") || $0.hasPrefix("public let") || $0.hasPrefix("public typealias")
      }
      DemoOutput.line("   → \((path as NSString).lastPathComponent): \(text.split(separator: "\n").count) lines, \(declarations.count) top-level declarations")
      for declaration in declarations { DemoOutput.line("     \(declaration.replacingOccurrences(of: " {", with: ""))") }
    }
  }

  private func roundTrip() throws {
    let page = FeedPage(posts: DemoFeedService.posts, nextCursor: "after-12")
    DemoOutput.line("\n2. A FeedPage with \(page.posts.count) posts, encoded and decoded with the generated code")
    for `protocol` in ThriftProtocolID.allCases {
      let bytes = page.encoded(protocol: `protocol`)
      let decoded = try FeedPage(decoding: bytes, protocol: `protocol`)
      guard decoded == page else { throw ValidationError("\(`protocol`) round trip changed the value") }
      let name = `protocol`.description.padding(toLength: 8, withPad: " ", startingAt: 0)
      DemoOutput.line("   \(name) \(String(bytes.readableBytes).leftPadded(4)) bytes  \(bytes.hexPrefix())  → decoded: equal ✓")
    }
  }

  private func runServiceAndClient() async throws {
    DemoOutput.line("\n3. The feed service and a client, in two processes, over loopback (TTHeader + binary)")
    let server = try DemoProcess(label: "server", arguments: ["demo", "server", "--port", "0"])
    do {
      let listening = try await server.line(startingWith: "listening on ")
      let address = String(listening.dropFirst("listening on ".count))
      let client = try DemoProcess(label: "client", arguments: ["demo", "client", "--target", address])
      let clientStatus = await client.exitStatus()
      guard clientStatus == 0 else { throw DemoError("the client process failed with status \(clientStatus)") }
    } catch {
      _ = await server.stop()
      throw error
    }
    let serverStatus = await server.stop()
    guard serverStatus == 0 else { throw DemoError("the server process exited with status \(serverStatus)") }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
