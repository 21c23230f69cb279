import NIOCore
import NIOPosix

/// A client that writes and never reads (its channel never asks for reads), so whatever the
/// server answers piles up: the peer a server must not let run it out of memory.
final class NonReadingClient: Sendable {
  let channel: any Channel

  private init(channel: any Channel) {
    self.channel = channel
  }

  static func connect(port: Int) async throws -> NonReadingClient {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .channelOption(.autoRead, value: false)
      .connect(host: "127.0.0.1", port: port).get()
    return NonReadingClient(channel: channel)
  }

  /// Writes `bytes` again and again while the socket takes them (our own outbound buffer
  /// stays under NIO's high-water mark); returns how many copies it wrote.
  @discardableResult
  func sendWhileWritable(_ bytes: ByteBuffer, atMost: Int = 64) -> Int {
    var written = 0
    while channel.isWritable && channel.isActive && written < atMost {
      channel.writeAndFlush(bytes, promise: nil)
      written += 1
    }
    return written
  }

  var isOpen: Bool { channel.isActive }

  func close() async {
    try? await channel.close()
  }
}
