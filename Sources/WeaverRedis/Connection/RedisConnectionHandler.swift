import NIOCore

/// The channel handler of one Redis connection: writes commands, reads replies and hands
/// each to the oldest command waiting (Redis answers in order), sends out-of-band push
/// messages elsewhere, and closes the connection when a reply is late.
final class RedisConnectionHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private struct Waiting {
    var promise: EventLoopPromise<RESPValue>
    var deadline: NIODeadline
  }

  private let node: RedisNodeAddress
  private let commandTimeout: TimeAmount
  private var parser: RESPParser
  private var received: ByteBuffer?
  private var waiting = CircularBuffer<Waiting>(initialCapacity: 8)
  private var context: ChannelHandlerContext?
  private var timer: Scheduled<Void>?
  /// Why the connection ended, once it has.
  private var closedBecause: RedisError?
  /// Out-of-band messages (RESP3 pushes: pub/sub).
  var onPush: ((RESPValue) -> Void)?

  init(node: RedisNodeAddress, commandTimeout: TimeAmount, limits: RESPLimits) {
    self.node = node
    self.commandTimeout = commandTimeout
    self.parser = RESPParser(limits: limits)
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
    failAll(.connectionClosed(node: node, reason: "the connection was torn down"))
  }

  /// Sends `commands` in one write; `promises[i]`, when present, gets the reply of
  /// `commands[i]` (a command without one expects no reply: `SUBSCRIBE` in RESP3).
  func send(_ commands: [RedisCommand], promises: [EventLoopPromise<RESPValue>?]) {
    guard let context, closedBecause == nil else {
      let error = closedBecause ?? .connectionClosed(node: node, reason: "the connection is closed")
      for promise in promises { promise?.fail(error) }
      return
    }
    var buffer = context.channel.allocator.buffer(capacity: 64 * commands.count)
    let deadline = NIODeadline.now() + commandTimeout
    for (command, promise) in zip(commands, promises) {
      command.write(to: &buffer)
      if let promise { waiting.append(Waiting(promise: promise, deadline: deadline)) }
    }
    armTimer(context: context)
    context.writeAndFlush(NIOAny(buffer), promise: nil)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let bytes = unwrapInboundIn(data)
    if received == nil {
      received = bytes
    } else {
      received!.writeImmutableBuffer(bytes)
    }
    do {
      while let value = try parser.next(&received!) {
        deliver(value, context: context)
      }
    } catch {
      fail(with: error, context: context)
      return
    }
    if received!.readableBytes == 0 {
      received = nil
    } else if received!.readerIndex > 64 * 1024 {
      received!.discardReadBytes()
    }
  }

  private func deliver(_ value: RESPValue, context: ChannelHandlerContext) {
    if case .push = value {
      onPush?(value)
      return
    }
    guard let next = waiting.popFirst() else {
      fail(with: .protocolViolation("\(node) sent a reply no command was waiting for"), context: context)
      return
    }
    next.promise.succeed(value)
    if waiting.isEmpty {
      timer?.cancel()
      timer = nil
    }
  }

  func channelInactive(context: ChannelHandlerContext) {
    failAll(closedBecause ?? .connectionClosed(node: node, reason: "the server closed it"))
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(with: .connectionClosed(node: node, reason: "\(error)"), context: context)
  }

  /// Fails every waiting command with `error` and closes the connection.
  func fail(with error: RedisError, context: ChannelHandlerContext) {
    if closedBecause == nil { closedBecause = error }
    failAll(error)
    context.close(promise: nil)
  }

  private func failAll(_ error: RedisError) {
    if closedBecause == nil { closedBecause = error }
    timer?.cancel()
    timer = nil
    while let next = waiting.popFirst() {
      next.promise.fail(error)
    }
  }

  /// One timer per connection, set for the oldest command's deadline (later commands have
  /// later deadlines); it moves on as replies come.
  private func armTimer(context: ChannelHandlerContext) {
    guard timer == nil, let first = waiting.first else { return }
    timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: first.deadline) { [weak self] in
      self?.timerFired()
    }
  }

  private func timerFired() {
    timer = nil
    guard let context, let first = waiting.first else { return }
    if first.deadline <= .now() {
      fail(with: .timeout(node: node, after: .nanoseconds(commandTimeout.nanoseconds)), context: context)
    } else {
      armTimer(context: context)
    }
  }
}
