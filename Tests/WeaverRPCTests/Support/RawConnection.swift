import NIOCore
import NIOPosix
import Synchronization

/// A bare TCP connection for feeding a server bytes no proper client would send.
final class RawConnection: Sendable {
  let channel: any Channel
  private let received = Mutex(ByteBuffer())

  private init(channel: any Channel) {
    self.channel = channel
  }

  static func connect(port: Int) async throws -> RawConnection {
    let box = Mutex<RawConnection?>(nil)
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(Collector { bytes in box.withLock { _ = $0?.append(bytes) } })
        }
      }
      .connect(host: "127.0.0.1", port: port).get()
    let connection = RawConnection(channel: channel)
    box.withLock { $0 = connection }
    return connection
  }

  private func append(_ bytes: ByteBuffer) {
    var bytes = bytes
    received.withLock { _ = $0.writeBuffer(&bytes) }
  }

  var bytesReceived: ByteBuffer { received.withLock { $0 } }

  func send(_ bytes: ByteBuffer) async throws {
    try await channel.writeAndFlush(bytes).get()
  }

  /// Whether the peer closed the connection within `timeout`.
  func closedByPeer(within timeout: Duration) async -> Bool {
    await eventually(within: timeout) { !channel.isActive }
  }

  func close() {
    channel.close(promise: nil)
  }

  /// Closes with a reset (RST) instead of an orderly FIN.
  func reset() async {
    try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
    try? await channel.close()
  }

  private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let onBytes: @Sendable (ByteBuffer) -> Void

    init(onBytes: @escaping @Sendable (ByteBuffer) -> Void) {
      self.onBytes = onBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      onBytes(unwrapInboundIn(data))
    }
  }
}
