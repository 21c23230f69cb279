import NIOCore
import WeaverThrift

/// Cuts a connection's byte stream into ``ThriftFrame``s: bytes go in as they arrive,
/// complete frames come out.
///
/// With no transport given, the transport is detected from the first bytes and then kept
/// for the connection (servers); clients fix it. A frame over `maxFrameSize`, or bytes that
/// are no frame, throw ``ThriftFrameError``.
struct ThriftFrameReader {
  private(set) var transport: ThriftTransport?
  private let maxFrameSize: Int
  private let limits: ThriftLimits
  private var pending: ByteBuffer?

  init(transport: ThriftTransport?, maxFrameSize: Int, limits: ThriftLimits) {
    self.transport = transport
    self.maxFrameSize = min(maxFrameSize, ThriftFrameCodec.hardMaxFrameSize)
    self.limits = limits
  }

  /// Whether part of a frame has arrived and the rest has not.
  var hasPartialFrame: Bool { (pending?.readableBytes ?? 0) > 0 }

  mutating func append(_ bytes: ByteBuffer) {
    if pending == nil {
      pending = bytes
    } else {
      var bytes = bytes
      pending!.writeBuffer(&bytes)
    }
  }

  /// The next complete frame, or nil until more bytes arrive.
  mutating func next() throws(ThriftFrameError) -> ThriftFrame? {
    guard var buffer = pending, buffer.readableBytes > 0 else {
      pending = nil
      return nil
    }
    if transport == nil {
      guard let detected = try ThriftFrameCodec.detectTransport(buffer) else { return nil }
      transport = detected
    }
    pending = nil  // so the decoder's slices do not force a copy
    defer { pending = buffer.readableBytes > 0 ? buffer : nil }
    return try ThriftFrameCodec.decodeFrame(from: &buffer, transport: transport!, maxFrameSize: maxFrameSize, limits: limits)
  }

  /// Forgets buffered bytes (the connection is closing).
  mutating func reset() {
    pending = nil
  }
}
