import ArgumentParser
import Foundation
import NIOCore
import WeaverCodegen
import WeaverExampleModels
import WeaverThrift

/// `weaver demo`: the Thrift toolchain end to end, on the example IDL.
///
/// It generates Swift from `Examples/Models/Feed.thrift`, encodes and decodes a value of the
/// generated types in both protocols, and calls the generated service through its client and
/// server over an in-process channel. (The RPC runtime will put real sockets under it.)
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Show the Thrift toolchain end to end on the example feed service.")

  @Option(help: "The example IDL to generate from.")
  var idl: String = "Examples/Models/Feed.thrift"

  func run() async throws {
    print("CloudWeaver demo: the Thrift toolchain\n")
    try generate()
    try roundTrip()
    try await callService()
    print("\nAll steps succeeded.")
  }

  private func generate() throws {
    print("1. weaver gen \(idl)")
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
      print("   → \((path as NSString).lastPathComponent): \(text.split(separator: "\n").count) lines, \(declarations.count) top-level declarations")
      for declaration in declarations { print("     \(declaration.replacingOccurrences(of: " {", with: ""))") }
    }
  }

  private func roundTrip() throws {
    let page = FeedPage(posts: DemoFeedService.posts, nextCursor: "after-12")
    print("\n2. A FeedPage with \(page.posts.count) posts, encoded and decoded with the generated code")
    for `protocol` in ThriftProtocolID.allCases {
      let bytes = page.encoded(protocol: `protocol`)
      let decoded = try FeedPage(decoding: bytes, protocol: `protocol`)
      guard decoded == page else { throw ValidationError("\(`protocol`) round trip changed the value") }
      let name = `protocol`.description.padding(toLength: 8, withPad: " ", startingAt: 0)
      print("   \(name) \(String(bytes.readableBytes).leftPadded(4)) bytes  \(bytes.hexPrefix())  → decoded: equal ✓")
    }
  }

  private func callService() async throws {
    print("\n3. Calls through the generated FeedService client and server (in-process channel, compact protocol)")
    let channel = ThriftInProcessChannel(serving: FeedService.serverMethods(for: DemoFeedService()), protocol: .compact)
    let feed = FeedService.Client(channel: channel)
    let page = try await feed.getFeed(viewer: 2, limit: 10, cursor: nil)
    print("   getFeed(viewer: 2, limit: 10) → \(page.posts.count) posts, nextCursor: \(page.nextCursor ?? "none")")
    for post in page.posts {
      print("     #\(post.id) \(post.author?.name ?? "?"): \(post.text)  tags: \(post.tags)  visibility: \(post.visibility)")
    }
    print("   react(postID: 10, reaction: \"❤️\") → \(try await feed.react(postID: 10, reaction: "❤️"))")
    do {
      _ = try await feed.react(postID: 99, reaction: "👍")
    } catch let error as NotFound {
      print("   react(postID: 99, …) → threw NotFound(what: \"\(error.what)\"), a declared exception, delivered as itself")
    }
    try await feed.markSeen(viewer: 2, postIDs: [10, 11])
    print("   markSeen(viewer: 2, postIDs: [10, 11]) → oneway, no reply")
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
