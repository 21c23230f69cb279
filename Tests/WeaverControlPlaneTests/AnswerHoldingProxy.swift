import NIOCore
import NIOPosix
import Testing

/// A TCP proxy on loopback that passes every request on to `upstreamPort` but never passes
/// back the answers on the first connection it accepts: a network that loses a reply, so
/// the server acts on a request whose answer the client never sees. Later connections
/// relay both ways.
enum AnswerHoldingProxy {
  /// Runs `body` with the proxy's port; the proxy and its connections close afterwards.
  static func with<T: Sendable>(upstreamPort: Int, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: "127.0.0.1", port: 0) { channel in
        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
      }
    let port = try #require(listener.channel.localAddress?.port)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        try await listener.executeThenClose { inbound in
          try await withThrowingDiscardingTaskGroup { connections in
            var first = true
            for try await client in inbound {
              let holdAnswers = first
              first = false
              connections.addTask { try? await relay(client, upstreamPort: upstreamPort, holdAnswers: holdAnswers) }
            }
          }
        }
      }
      defer { group.cancelAll() }
      return try await body(port)
    }
  }

  /// Copies bytes both ways (answers only unless held) until either side closes.
  private static func relay(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, upstreamPort: Int, holdAnswers: Bool) async throws {
    let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: "127.0.0.1", port: upstreamPort) { channel in
        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
      }
    try await client.executeThenClose { clientIn, clientOut in
      try await upstream.executeThenClose { upstreamIn, upstreamOut in
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { for try await bytes in clientIn { try await upstreamOut.write(bytes) } }
          group.addTask { for try await bytes in upstreamIn where !holdAnswers { try await clientOut.write(bytes) } }
          _ = try await group.next()
          group.cancelAll()
        }
      }
    }
  }
}
