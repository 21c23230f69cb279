import ArgumentParser
import Foundation
import Logging
import WeaverCore
import WeaverExampleModels
import WeaverRPC

/// `weaver demo client`: calls the example feed service over TTHeader with metadata.
struct DemoClientCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "client", abstract: "Call the example FeedService (weaver demo starts it for you).")

  @Option(help: "The server, host:port.")
  var target: String

  @OptionGroup var telemetry: TelemetryOptions

  @Option(help: "The name this process gives itself in traces and calls (OTEL_SERVICE_NAME wins).")
  var serviceName: String = "demo-client"

  @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
  var logLevel: Logger.Level = .warning

  func run() async throws {
    let processTelemetry = try telemetry.start(serviceName: serviceName, logLevel: logLevel)
    try await processTelemetry.run {
      try await callTheService(name: processTelemetry.serviceName, middlewares: processTelemetry.clientMiddlewares)
    }
  }

  private func callTheService(name: String, middlewares: [any ClientMiddleware]) async throws {
    let client = try ThriftClient(
      addresses: [target],
      configuration: ThriftClientConfiguration(rpcTimeout: .seconds(2), callerName: name, middlewares: middlewares))
    defer { client.close() }
    let feed = FeedService.Client(channel: client)
    // Persistent keys travel the whole call chain, transient ones one hop (Kitex semantics).
    let metadata = Metadata(transient: ["hop": "1"], persistent: ["release": "canary", "region": "eu-west"])
    try await CallContext.with(metadata: metadata) {
      let page = try await feed.getFeed(viewer: 2, limit: 10, cursor: nil)
      DemoOutput.line("getFeed(viewer: 2, limit: 10) → \(page.posts.count) posts, nextCursor: \(page.nextCursor ?? "none")")
      for post in page.posts {
        DemoOutput.line("  #\(post.id) \(post.author?.name ?? "?"): \(post.text)  tags: \(post.tags)  visibility: \(post.visibility)")
      }
      let again = try await feed.getFeed(viewer: 2, limit: 10, cursor: nil)
      DemoOutput.line("getFeed(viewer: 2, limit: 10) again → \(again.posts.count) posts, \(again == page ? "the same page" : "a different page")")
      DemoOutput.line("react(postID: 10, reaction: \"❤️\") → \(try await feed.react(postID: 10, reaction: "❤️"))")
      do {
        _ = try await feed.react(postID: 99, reaction: "👍")
      } catch let error as NotFound {
        DemoOutput.line("react(postID: 99, …) → NotFound(what: \"\(error.what)\"), the declared exception, across processes")
      }
      try await feed.markSeen(viewer: 2, postIDs: [10, 11])
      DemoOutput.line("markSeen(viewer: 2, postIDs: [10, 11]) → oneway, sent")
    }
    try await concurrentCalls(feed, client: client)
  }

  /// Many calls at once share a few multiplexed TTHeader connections.
  private func concurrentCalls(_ feed: FeedService.Client<ThriftClient>, client: ThriftClient) async throws {
    let started = ContinuousClock.now
    let count = 200
    let answered = try await withThrowingTaskGroup(of: Int32.self) { group in
      for index in 0..<count {
        group.addTask { try await feed.react(postID: 10 + Int64(index % 2), reaction: "👍") }
      }
      return try await group.reduce(0) { total, _ in total + 1 }
    }
    let elapsed = started.duration(to: .now)
    let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    DemoOutput.line(
      "\(answered) concurrent react calls answered in \(String(format: "%.1f", milliseconds)) ms over \(client.connectionCount) multiplexed connection(s)")
  }
}
