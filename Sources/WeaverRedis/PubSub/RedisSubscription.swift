import NIOCore
import Synchronization

/// Messages published to some channels or patterns, as an `AsyncSequence`, over a
/// connection of its own (RESP3, so the connection still answers commands in band).
///
/// ```swift
/// let news = try await redis.subscribe(to: ["news", "alerts"])
/// for try await message in news {
///   print(message.channel, message.text)
/// }
/// ```
/// The subscription is in place when `subscribe` returns: a message published after that
/// arrives. Iteration ends when ``close()`` is called or the iterating task is cancelled;
/// it throws ``RedisError/connectionClosed(node:reason:)`` if the connection drops (Redis
/// pub/sub is at most once: subscribe again, and messages published in between are gone)
/// and ``RedisError/subscriberTooSlow(buffered:)`` if the consumer falls `bufferLimit`
/// messages behind. In a cluster one node is enough: the cluster delivers every `PUBLISH`
/// to every node.
public final class RedisSubscription: AsyncSequence, Sendable {
  public typealias Element = RedisPubSubMessage
  public typealias AsyncIterator = AsyncThrowingStream<RedisPubSubMessage, any Error>.Iterator

  /// What the subscription is to.
  public enum Target: Sendable, Hashable {
    /// `SUBSCRIBE`: these channels, exactly.
    case channels([String])
    /// `PSUBSCRIBE`: channels matching these glob patterns (`news.*`).
    case patterns([String])
  }

  public let node: RedisNodeAddress
  public let target: Target
  private let connection: RedisConnection
  private let stream: AsyncThrowingStream<RedisPubSubMessage, any Error>
  private let continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation

  private init(
    node: RedisNodeAddress, target: Target, connection: RedisConnection,
    stream: AsyncThrowingStream<RedisPubSubMessage, any Error>,
    continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation
  ) {
    self.node = node
    self.target = target
    self.connection = connection
    self.stream = stream
    self.continuation = continuation
  }

  public func makeAsyncIterator() -> AsyncIterator {
    stream.makeAsyncIterator()
  }

  /// Ends the subscription: iteration finishes after the messages already received.
  public func close() {
    continuation.finish()
    connection.close()
  }

  /// Connects to `node`, subscribes, and returns once the server has confirmed it.
  static func open(
    _ target: Target, node: RedisNodeAddress, configuration: RedisConnectionConfiguration, bufferLimit: Int,
    group: any EventLoopGroup
  ) async throws(RedisError) -> RedisSubscription {
    let names: [String]
    switch target {
    case .channels(let channels): names = channels
    case .patterns(let patterns): names = patterns
    }
    guard !names.isEmpty else { throw .invalidArgument("subscribe to at least one channel or pattern") }
    guard bufferLimit > 0 else { throw .invalidArgument("bufferLimit must be positive, not \(bufferLimit)") }
    let (stream, continuation) = AsyncThrowingStream.makeStream(
      of: RedisPubSubMessage.self, throwing: (any Error).self, bufferingPolicy: .bufferingOldest(bufferLimit))
    var configuration = configuration
    configuration.protocolVersion = .resp3
    let connection = try await RedisConnection.connect(
      to: node, configuration: configuration, group: group,
      onPush: { push in
        guard let message = Self.message(from: push) else { return }
        if case .dropped = continuation.yield(message) {
          continuation.finish(throwing: RedisError.subscriberTooSlow(buffered: bufferLimit))
        }
      })
    guard connection.protocolVersion == .resp3 else {
      connection.close()
      throw .invalidArgument("pub/sub needs a server that speaks RESP3 (Redis 6 or later); \(node) does not")
    }
    connection.channel.closeFuture.whenComplete { _ in
      continuation.finish(throwing: RedisError.connectionClosed(node: node, reason: "the subscription's connection closed"))
    }
    continuation.onTermination = { _ in connection.close() }

    // In RESP3 a SUBSCRIBE is confirmed by push messages and has no reply in band, unless
    // it fails (an ACL refusal). The PING after it is answered after those confirmations:
    // when its PONG comes, the subscription is in place.
    var subscribe = RedisCommand({
      if case .channels = target { return "SUBSCRIBE" }
      return "PSUBSCRIBE"
    }())
    for name in names { subscribe.argument(name) }
    connection.sendExpectingNoReply(subscribe)
    do throws(RedisError) {
      let reply = try await connection.send(RedisCommand("PING"))
      if case .error(let error) = reply { throw .server(error) }
    } catch {
      connection.close()
      throw error
    }
    return RedisSubscription(node: node, target: target, connection: connection, stream: stream, continuation: continuation)
  }

  /// A `message` or `pmessage` push as a message; nil for anything else (confirmations).
  static func message(from push: RESPValue) -> RedisPubSubMessage? {
    guard let parts = push.elements, let kind = parts.first?.string else { return nil }
    switch kind {
    case "message" where parts.count == 3:
      guard let channel = parts[1].string, let payload = parts[2].bytes else { return nil }
      return RedisPubSubMessage(channel: channel, payload: payload)
    case "pmessage" where parts.count == 4:
      guard let pattern = parts[1].string, let channel = parts[2].string, let payload = parts[3].bytes else { return nil }
      return RedisPubSubMessage(channel: channel, pattern: pattern, payload: payload)
    default:
      return nil
    }
  }
}
