import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import WeaverCore
import WeaverDiscovery
import WeaverThrift

/// Calls Thrift services over the network: the ``ThriftClientChannel`` generated clients use.
///
/// It balances calls round-robin over the instances its resolver names, keeps a
/// ``ThriftClientConfiguration`` worth of connections to each (multiplexing calls by
/// sequence id on TTHeader and THeader), sends metadata and the deadline along, and turns
/// every failure into a clear error: ``RPCError`` for transport trouble, the service's own
/// declared exceptions and `TApplicationException`s as themselves.
///
/// ```swift
/// let client = try ThriftClient(addresses: ["127.0.0.1:8888"])
/// let feed = FeedService.Client(channel: client)
/// let page = try await feed.getFeed(viewer: 1, limit: 10, cursor: nil)
/// ```
///
/// With a static list of addresses it works at once; with a changing resolver, run it (it
/// is a `ServiceLifecycle` service) so it follows the changes. ``close()`` or the end of
/// ``run()`` closes its connections.
public final class ThriftClient: ThriftClientChannel, Service, Sendable {
  public let configuration: ThriftClientConfiguration
  private let resolver: any InstanceResolver
  private let group: any EventLoopGroup
  private let logger: Logger
  private let state = Mutex(State())
  private let nextSequenceID = Atomic<Int32>(0)
  private let nextInstance = Atomic<Int>(0)
  private let allocator = ByteBufferAllocator()

  private struct State {
    var instances: [Instance] = []
    var pools: [Instance: ThriftConnectionPool] = [:]
    var closed = false
  }

  /// A client of the instances `resolver` names.
  public init(
    resolver: any InstanceResolver, configuration: ThriftClientConfiguration = .init(),
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "cloudweaver.thrift.client")
  ) {
    self.resolver = resolver
    self.configuration = configuration
    self.group = eventLoopGroup
    self.logger = logger
    if let fixed = resolver as? StaticResolver { update(fixed.instances) }
  }

  /// A client of fixed `host:port` addresses.
  public convenience init(
    addresses: [String], configuration: ThriftClientConfiguration = .init(),
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) throws {
    self.init(resolver: try StaticResolver(addresses: addresses), configuration: configuration, eventLoopGroup: eventLoopGroup)
  }

  /// Follows the resolver until cancelled or shut down, then closes every connection.
  public func run() async throws {
    defer { close() }
    try await cancelWhenGracefulShutdown {
      for try await instances in self.resolver.updates() {
        self.update(instances)
      }
      try await gracefulShutdown()
    }
  }

  /// Replaces the instance set; connections to instances that left are closed.
  func update(_ instances: [Instance]) {
    let removed = state.withLock { state -> [ThriftConnectionPool] in
      state.instances = instances
      let keep = Set(instances)
      let gone = state.pools.filter { !keep.contains($0.key) }
      for key in gone.keys { state.pools[key] = nil }
      return Array(gone.values)
    }
    for pool in removed { pool.close() }
  }

  /// Closes every connection. Calls in flight fail; later calls fail with `unavailable`.
  public func close() {
    let pools = state.withLock { state -> [ThriftConnectionPool] in
      state.closed = true
      defer { state.pools = [:] }
      return Array(state.pools.values)
    }
    for pool in pools { pool.close() }
  }

  /// Open connections, over all instances.
  public var connectionCount: Int {
    state.withLock { Array($0.pools.values) }.reduce(0) { $0 + $1.connectionCount }
  }

  /// Connects started so far, over the instances the client still knows (a diagnostic:
  /// with an instance down, reconnects back off, so this grows slowly).
  public var connectAttempts: Int {
    state.withLock { Array($0.pools.values) }.reduce(0) { $0 + $1.connectAttempts }
  }

  // MARK: Calls

  public func call<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result {
    let context = outgoingContext(for: method)
    let invoke: @Sendable (Args, CallContext) async throws -> Result = { args, context in
      guard let reply = try await self.exchange(method, args, context) else {
        throw RPCError(.protocolError, "'\(method.name)' is oneway: call it with callOneway, it has no reply")
      }
      return try self.decodeReply(reply, as: Result.self, method: method.name)
    }
    if configuration.middlewares.isEmpty { return try await invoke(args, context) }
    return try await configuration.middlewares.run(args, context: context, call: invoke)
  }

  public func callOneway<Args>(_ method: ThriftMethodDescriptor<Args, ThriftOnewayResult>, _ args: Args) async throws {
    let context = outgoingContext(for: method)
    let invoke: @Sendable (Args, CallContext) async throws -> Void = { args, context in
      _ = try await self.exchange(method, args, context)
    }
    if configuration.middlewares.isEmpty { return try await invoke(args, context) }
    try await configuration.middlewares.run(args, context: context, call: invoke)
  }

  /// The context of an outgoing call: the current one's persistent metadata, transient
  /// metadata set for this call, and the earlier of its deadline and the RPC timeout.
  private func outgoingContext<Args, Result>(for method: ThriftMethodDescriptor<Args, Result>) -> CallContext {
    let current = CallContext.current
    var context = CallContext(service: method.serviceName, method: method.name, caller: configuration.callerName)
    context.metadata.persistent = current?.metadata.persistent ?? [:]
    context.metadata.transient = current?.metadata.transient ?? [:]
    let defaults = configuration.defaultMetadata
    if !defaults.isEmpty {
      context.metadata.persistent.merge(defaults.persistent) { fromCaller, _ in fromCaller }
      context.metadata.transient.merge(defaults.transient) { fromCaller, _ in fromCaller }
    }
    let timeout = configuration.rpcTimeout.map { ContinuousClock.now.advanced(by: $0) }
    switch (timeout, current?.deadline) {
    case (let timeout?, let inherited?): context.deadline = min(timeout, inherited)
    case (let timeout?, nil): context.deadline = timeout
    case (nil, let inherited): context.deadline = inherited
    }
    return context
  }

  /// Calls a draining server did not process (`shuttingDown`) are sent again, this many
  /// times at most, on another connection: it is safe whatever the method does.
  static let maxUnprocessedResends = 3

  /// Sends one call and returns its reply frame (nil for oneway calls, once sent). A call a
  /// draining server reports as not processed goes out again on another connection.
  private func exchange<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext) async throws -> ThriftFrame? {
    var resends = 0
    while true {
      do {
        return try await exchangeOnce(method, args, context)
      } catch let error as RPCError where error.code == .shuttingDown && resends < Self.maxUnprocessedResends {
        resends += 1
      }
    }
  }

  private func exchangeOnce<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext) async throws -> ThriftFrame? {
    if let deadline = context.deadline, deadline <= .now {
      throw RPCError(.deadlineExceeded, "the deadline of \(method.serviceName).\(method.name) passed before it was sent")
    }
    // Never 0: a draining server's last frame uses sequence id 0 (``ThriftHeaderKey/drained``).
    let sequenceID = max(1, nextSequenceID.wrappingAdd(1, ordering: .relaxed).newValue & Int32.max)
    let frame = requestFrame(method, args, context, sequenceID)
    let pool = try pickPool()
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

  private func pickPool() throws -> ThriftConnectionPool {
    try state.withLock { state throws(RPCError) -> ThriftConnectionPool in
      guard !state.closed else { throw RPCError(.unavailable, "the client is closed") }
      guard !state.instances.isEmpty else { throw RPCError(.unavailable, "no instance to call") }
      let index = nextInstance.wrappingAdd(1, ordering: .relaxed).oldValue
      let instance = state.instances[abs(index % state.instances.count)]
      if let pool = state.pools[instance] { return pool }
      let pool = ThriftConnectionPool(instance: instance, configuration: configuration, group: group)
      state.pools[instance] = pool
      return pool
    }
  }

  private func requestFrame<Args, Result>(
    _ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext, _ sequenceID: Int32
  ) -> ThriftFrame {
    let `protocol` = configuration.protocol
    let name = configuration.multiplexedMessageNames ? "\(method.serviceName):\(method.name)" : method.name
    var message = allocator.buffer(capacity: 256)
    `protocol`.writeMessageBegin(ThriftMessageHeader(name: name, type: method.isOneway ? .oneway : .call, sequenceID: sequenceID), into: &message)
    args.encode(into: &message, protocol: `protocol`)
    guard configuration.transport.isMultiplexed else {
      return ThriftFrame(transport: configuration.transport, protocol: `protocol`, message: message)
    }
    var header = ThriftFrameHeader(sequenceID: sequenceID)
    header.strings = context.metadata.headerEntries
    header.strings[ThriftHeaderKey.idlServiceName] = method.serviceName
    if configuration.transport == .ttheader {
      header.ints[TTHeaderKey.toService] = method.serviceName
      header.ints[TTHeaderKey.toMethod] = method.name
      if let caller = context.caller { header.ints[TTHeaderKey.fromService] = caller }
      if let remaining = context.remaining() {
        let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        header.ints[TTHeaderKey.rpcTimeout] = String(max(1, milliseconds))
      }
    }
    return ThriftFrame(transport: configuration.transport, protocol: `protocol`, header: header, message: message)
  }

  private func decodeReply<Result: ThriftMethodResult>(_ reply: ThriftFrame, as: Result.Type, method: String) throws -> Result {
    var message = reply.message
    let limits = configuration.protocolLimits
    do {
      let header = try reply.protocol.readMessageBegin(from: &message, limits: limits)
      switch header.type {
      case .reply:
        return try reply.protocol.decode(Result.self, from: &message, limits: limits)
      case .exception:
        let exception = try reply.protocol.decode(TApplicationException.self, from: &message, limits: limits)
        if reply.header?.strings[ThriftHeaderKey.overloaded] != nil || exception.message.hasPrefix("server overloaded") {
          throw RPCError(.overloaded, exception.message)
        }
        throw exception
      default:
        throw RPCError(.protocolError, "reply to '\(method)' is a \(header.type) message")
      }
    } catch let error as ThriftProtocolError {
      throw RPCError(.protocolError, "cannot decode the reply to '\(method)': \(error)")
    }
  }
}
