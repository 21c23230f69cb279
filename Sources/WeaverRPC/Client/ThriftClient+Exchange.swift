import NIOCore
import WeaverCore
import WeaverThrift

/// Sending one attempt on a pool and reading its reply.
extension ThriftClient {
  /// The context of an outgoing call: the current one's persistent metadata, transient
  /// metadata set for this call, and the earlier of its deadline and the RPC timeout.
  func outgoingContext<Args, Result>(for method: ThriftMethodDescriptor<Args, Result>) -> CallContext {
    let current = CallContext.current
    var context = CallContext(service: method.serviceName, method: method.name, caller: configuration.callerName)
    let defaults = configuration.defaultMetadata
    if let current, !current.metadata.persistent.isEmpty || !current.metadata.transient.isEmpty {
      context.metadata = Metadata(
        transient: Self.merged(current.metadata.transient, over: defaults.transient),
        persistent: Self.merged(current.metadata.persistent, over: defaults.persistent))
    } else {
      context.metadata = defaults  // shared, not copied
    }
    let timeout = configuration.rpcTimeout.map { ContinuousClock.now.advanced(by: $0) }
    switch (timeout, current?.deadline) {
    case (let timeout?, let inherited?): context.deadline = min(timeout, inherited)
    case (let timeout?, nil): context.deadline = timeout
    case (nil, let inherited): context.deadline = inherited
    }
    return context
  }

  /// The caller's keys over the client's defaults; either alone is shared, not copied.
  private static func merged(_ fromCaller: [String: String], over defaults: [String: String]) -> [String: String] {
    if fromCaller.isEmpty { return defaults }
    if defaults.isEmpty { return fromCaller }
    return fromCaller.merging(defaults) { fromCaller, _ in fromCaller }
  }

  /// Sends one call on `pool` and returns its reply frame (nil for oneway calls, once sent).
  func exchange<Args, Result>(
    _ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext, on pool: ThriftConnectionPool
  ) async throws -> ThriftFrame? {
    if let deadline = context.deadline, deadline <= .now {
      throw RPCError(.deadlineExceeded, "the deadline of \(method.serviceName).\(method.name) passed before it was sent")
    }
    // Never 0: a draining server's last frame uses sequence id 0 (``ThriftHeaderKey/drained``).
    let sequenceID = max(1, nextSequenceID.wrappingAdd(1, ordering: .relaxed).newValue & Int32.max)
    let frame = requestFrame(method, args, context, sequenceID)
    let connection = try await pool.acquire(deadline: context.deadline)
    defer { pool.release(connection) }
    let reply: ThriftFrame?
    do {
      reply = try await connection.call(frame, sequenceID: sequenceID, deadline: context.deadline, expectsReply: !method.isOneway)
    } catch let error as RPCError where !configuration.transport.isMultiplexed {
      // Without sequence ids in frames a late reply would be taken for the next call's:
      // a connection whose call gave up is not used again.
      connection.markNotReusable()
      throw error
    }
    if let reply, !configuration.transport.isMultiplexed, let refusal = shutdownRefusal(reply) {
      // Framed and unframed: the server answered that it is shutting down (it cannot say so
      // in a header). Not processed: the caller sends it again elsewhere.
      connection.markNotReusable()
      pool.serverDraining()
      throw RPCError(.shuttingDown, refusal.message)
    }
    return reply
  }

  /// The `loadShedding` exception a draining server answers calls with, if `reply` is one.
  private func shutdownRefusal(_ reply: ThriftFrame) -> TApplicationException? {
    var message = reply.message
    let limits = configuration.protocolLimits
    guard let header = try? reply.protocol.readMessageBegin(from: &message, limits: limits), header.type == .exception,
      let exception = try? reply.protocol.decode(TApplicationException.self, from: &message, limits: limits),
      exception.kind == .loadShedding
    else { return nil }
    return exception
  }

  private func requestFrame<Args, Result>(
    _ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext, _ sequenceID: Int32
  ) -> ThriftFrame {
    ThriftCallEncoding.requestFrame(
      method, args, context, sequenceID: sequenceID, transport: configuration.transport, protocol: configuration.protocol,
      multiplexedName: configuration.multiplexedMessageNames, allocator: allocator)
  }

  func decodeReply<Result: ThriftMethodResult>(_ reply: ThriftFrame, as: Result.Type, method: String) throws -> Result {
    try ThriftCallEncoding.decodeReply(reply, as: Result.self, method: method, limits: configuration.protocolLimits)
  }
}
