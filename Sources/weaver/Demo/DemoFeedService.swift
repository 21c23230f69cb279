import Foundation
import WeaverExampleModels
import WeaverRPC

/// The demo's implementation of the generated `FeedService.ServiceProtocol`. Given an
/// upstream (another feed service: the demo's gateway → store hop), it reads feeds from it;
/// given a cache, it keeps the pages it serves in Redis.
struct DemoFeedService: FeedService.ServiceProtocol {
  var upstream: FeedService.Client<ThriftClient>?
  var cache: DemoFeedCache?

  static let ada = User(id: 1, name: "ada", avatarURL: "https://example.com/ada.png")
  static let linus = User(id: 2, name: "linus")

  static let posts = [
    Post(id: 10, author: ada, text: "Hello, CloudWeaver 👋", tags: ["swift", "thrift"], reactions: ["❤️": 12],
         visibility: .public, thumbnail: Data([0x89, 0x50, 0x4E, 0x47]), createdAtMs: 1_764_000_000_000),
    Post(id: 11, author: linus, text: "Compact protocol: small frames, fast codecs.", tags: ["perf"],
         reactions: ["🚀": 3], visibility: .followers, createdAtMs: 1_764_000_060_000),
    Post(id: 12, author: ada, text: "Drafts stay private.", visibility: .private, createdAtMs: 1_764_000_120_000),
  ]

  func getFeed(viewer: UserID, limit: Int32, cursor: String?) async throws -> FeedPage {
    if let upstream { return try await upstream.getFeed(viewer: viewer, limit: limit, cursor: cursor) }
    guard let cache else { return try page(viewer: viewer, limit: limit) }
    return try await cache.page(viewer: viewer, limit: limit, cursor: cursor) { try page(viewer: viewer, limit: limit) }
  }

  private func page(viewer: UserID, limit: Int32) throws -> FeedPage {
    guard viewer > 0 else { throw NotFound(what: "user \(viewer)") }
    let visible = Self.posts.filter { $0.visibility != .private || $0.author?.id == viewer }
    let page = Array(visible.prefix(Int(min(limit, maxPageSize))))
    return FeedPage(posts: page, nextCursor: visible.count > page.count ? "after-\(page.last?.id ?? 0)" : nil)
  }

  func react(postID: Int64, reaction: String) async throws -> Int32 {
    guard let post = Self.posts.first(where: { $0.id == postID }) else { throw NotFound(what: "post \(postID)") }
    return (post.reactions[reaction] ?? 0) + 1
  }

  func markSeen(viewer: UserID, postIDs: [Int64]) async throws {}
}
