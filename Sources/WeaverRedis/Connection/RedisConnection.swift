import Foundation
import NIOCore
import NIOPosix

/// One connection to a Redis server, handshake done (`HELLO`, `AUTH`, `SELECT`,
/// `READONLY`). Commands may be pipelined: many in flight, replies matched in order.
public final class RedisConnection: Sendable {
  public let node: RedisNodeAddress
  /// The protocol the server agreed to speak.
  public let protocolVersion: RedisConnectionConfiguration.ProtocolVersion
  let channel: any Channel
  private let handler: NIOLoopBound<RedisConnectionHandler>

  private init(
    node: RedisNodeAddress, protocolVersion: RedisConnectionConfiguration.ProtocolVersion, channel: any Channel,
    handler: NIOLoopBound<RedisConnectionHandler>
  ) {
    self.node = node
    self.protocolVersion = protocolVersion
    self.channel = channel
    self.handler = handler
  }

  /// Whether the connection is still open.
  public var isActive: Bool { channel.isActive }

  /// Connects to `node` and runs the handshake; with `readOnly`, also `READONLY` (reads
  /// from a cluster replica). `onPush` receives RESP3 push messages (pub/sub).
  public static func connect(
    to node: RedisNodeAddress, configuration: RedisConnectionConfiguration, readOnly: Bool = false,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    onPush: (@Sendable (RESPValue) -> Void)? = nil
  ) async throws(RedisError) -> RedisConnection {
    let timeout = TimeAmount.nanoseconds(Int64(configuration.commandTimeout.redisNanoseconds))
    let bootstrap = ClientBootstrap(group: group)
      .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.redisNanoseconds)))
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let handler = RedisConnectionHandler(node: node, commandTimeout: timeout, limits: configuration.limits)
          handler.onPush = onPush
          try channel.pipeline.syncOperations.addHandler(handler)
        }
      }
    let channel: any Channel
    let handler: NIOLoopBound<RedisConnectionHandler>
    do {
      channel = try await bootstrap.connect(host: node.host, port: node.port).get()
      handler = try await channel.eventLoop.submit {
        NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RedisConnectionHandler.self), eventLoop: channel.eventLoop)
      }.get()
    } catch {
      throw .connectFailed(node: node, reason: connectFailureReason(error))
    }
    let provisional = RedisConnection(node: node, protocolVersion: configuration.protocolVersion, channel: channel, handler: handler)
    do {
      let spoken = try await provisional.handshake(configuration, readOnly: readOnly)
      return RedisConnection(node: node, protocolVersion: spoken, channel: channel, handler: handler)
    } catch {
      channel.close(promise: nil)
      throw error
    }
  }

  /// `HELLO 3` (with `AUTH` and `SETNAME` in it), falling back to RESP2 and `AUTH` for a
  /// server without `HELLO`; then `SELECT` and `READONLY`.
  private func handshake(
    _ configuration: RedisConnectionConfiguration, readOnly: Bool
  ) async throws(RedisError) -> RedisConnectionConfiguration.ProtocolVersion {
    var spoken = RedisConnectionConfiguration.ProtocolVersion.resp2
    var setup: [RedisCommand] = []
    if configuration.protocolVersion == .resp3 {
      var hello = RedisCommand("HELLO")
      hello.argument(3)
      if let password = configuration.password {
        hello.argument("AUTH")
        hello.argument(configuration.username ?? "default")
        hello.argument(password)
      }
      if let name = configuration.clientName {
        hello.argument("SETNAME")
        hello.argument(name)
      }
      switch try await send(hello) {
      case .error(let error) where error.code == "NOPROTO" || error.message.lowercased().contains("unknown command"):
        break  // an old server: RESP2 below
      case .error(let error):
        throw .server(error)
      default:
        spoken = .resp3
      }
    }
    if spoken == .resp2 {
      if let password = configuration.password {
        var auth = RedisCommand("AUTH")
        if let username = configuration.username { auth.argument(username) }
        auth.argument(password)
        setup.append(auth)
      }
      if let name = configuration.clientName {
        setup.append(RedisCommand("CLIENT", arguments: ["SETNAME", name]))
      }
    }
    if configuration.database != 0 {
      setup.append(RedisCommand("SELECT", arguments: [configuration.database]))
    }
    if readOnly {
      setup.append(RedisCommand("READONLY"))
    }
    for result in await pipeline(setup) {
      if case .error(let error) = try result.get() { throw .server(error) }
    }
    return spoken
  }

  /// Sends `command` and returns its reply; an error reply is returned as
  /// ``RESPValue/error(_:)``, not thrown (the caller decides: a cluster follows `MOVED`).
  public func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
    let promise = channel.eventLoop.makePromise(of: RESPValue.self)
    onEventLoop { $0.send(command, promise: promise) }
    do {
      return try await promise.futureResult.get()
    } catch {
      throw error as? RedisError ?? .connectionClosed(node: node, reason: "\(error)")
    }
  }

  /// Sends every command in one write and returns their replies in order.
  public func pipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    guard !commands.isEmpty else { return [] }
    let promise = channel.eventLoop.makePromise(of: [Result<RESPValue, RedisError>].self)
    onEventLoop { $0.send(commands, promise: promise) }
    do {
      return try await promise.futureResult.get()
    } catch {
      // The batch promise only ever succeeds; this is for the compiler.
      let failure = error as? RedisError ?? .connectionClosed(node: node, reason: "\(error)")
      return commands.map { _ in .failure(failure) }
    }
  }

  /// Sends `command` expecting no reply in band (RESP3 `SUBSCRIBE`: its confirmations come
  /// as push messages).
  func sendExpectingNoReply(_ command: RedisCommand) {
    onEventLoop { $0.sendExpectingNoReply(command) }
  }

  /// Runs `body` with the handler on the connection's event loop: at once when already
  /// there (a caller running on that loop, as `weaver bench redis` workers do), else queued.
  @inline(__always)
  private func onEventLoop(_ body: @escaping @Sendable (RedisConnectionHandler) -> Void) {
    let handler = self.handler
    if channel.eventLoop.inEventLoop {
      body(handler.value)
    } else {
      channel.eventLoop.execute { body(handler.value) }
    }
  }

  /// Closes the connection; commands still waiting fail with ``RedisError/connectionClosed(node:reason:)``.
  public func close() {
    channel.close(promise: nil)
  }

  /// Why a connect failed, in a few words (`connection refused`).
  private static func connectFailureReason(_ error: any Error) -> String {
    var error = error
    if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first?.error {
      error = first
    }
    if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
    if let channelError = error as? ChannelError, case .connectTimeout(let amount) = channelError {
      return "no answer within the connect timeout (\(amount.nanoseconds / 1_000_000) ms)"
    }
    return "\(error)"
  }
}

extension Duration {
  var redisNanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
