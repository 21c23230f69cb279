import NIOCore
import Synchronization

/// One accepted connection, as the server tracks it for draining; its calls are served by
/// the ``ThriftServerConnectionHandler`` in its pipeline.
final class ThriftServerConnection: Sendable {
  let channel: any Channel
  private let closing = Atomic<Bool>(false)

  init(channel: any Channel) {
    self.channel = channel
  }

  /// Whether the server is draining this connection: replies then carry `crrst`.
  var isClosing: Bool { closing.load(ordering: .relaxed) }

  /// Closes now if idle; otherwise replies get `crrst` and the last one closes.
  func beginClosing() {
    closing.store(true, ordering: .relaxed)
    let channel = self.channel
    channel.eventLoop.execute {
      if let handler = try? channel.pipeline.syncOperations.handler(type: ThriftServerConnectionHandler.self) {
        handler.closeIfDrained()
      } else {
        channel.close(promise: nil)
      }
    }
  }

  func close() {
    channel.close(promise: nil)
  }
}
