import NIOCore

/// One message a subscription received: `PUBLISH channel payload` reached it.
public struct RedisPubSubMessage: Sendable, Hashable {
  /// The channel it was published to.
  public var channel: String
  /// The pattern it matched, for a pattern subscription (`PSUBSCRIBE news.*`).
  public var pattern: String?
  /// The payload, as published (any bytes).
  public var payload: ByteBuffer

  public init(channel: String, pattern: String? = nil, payload: ByteBuffer) {
    self.channel = channel
    self.pattern = pattern
    self.payload = payload
  }

  /// The payload as UTF-8 text.
  public var text: String { String(buffer: payload) }
}
