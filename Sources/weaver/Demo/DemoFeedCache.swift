import Foundation
import WeaverExampleModels
import WeaverRedis
import WeaverThrift

/// The store's cache of feed pages in Redis (standalone or a cluster), through WeaverRedis:
/// a page is kept for 30 s as compact Thrift. The cache only ever helps: when Redis fails,
/// the page comes from the source and the failure is said once per call.
struct DemoFeedCache: Sendable {
  let redis: any RedisCommandExecuting
  /// Keeps this process's keys apart from an earlier demo's.
  let prefix = "weaver-demo:\(getpid())"
  static let lifetime = Duration.seconds(30)

  func page(viewer: UserID, limit: Int32, cursor: String?, source: () async throws -> FeedPage) async throws -> FeedPage {
    let key = "\(prefix):feed:viewer=\(viewer):limit=\(limit):cursor=\(cursor ?? "")"
    do {
      if let cached = try await redis.get(key) {
        let page = try FeedPage(decoding: cached, protocol: .compact)
        DemoOutput.line("cache hit: \(key) (\(cached.readableBytes) bytes of compact Thrift from Redis)")
        return page
      }
    } catch let error as RedisError {
      DemoOutput.line("cache unavailable (\(error)); serving from the source")
      return try await source()
    }
    let page = try await source()
    do {
      _ = try await redis.set(key, to: page.encoded(protocol: .compact), expiration: .after(Self.lifetime))
      DemoOutput.line("cache miss: \(key) computed and stored in Redis for 30 s")
    } catch {
      DemoOutput.line("cache unavailable (\(error)); the page was served but not cached")
    }
    return page
  }
}
