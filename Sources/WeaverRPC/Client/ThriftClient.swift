import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import WeaverCore
import WeaverDiscovery
import WeaverGovernance
import WeaverThrift

/// Calls Thrift services over the network: the ``ThriftClientChannel`` generated clients use.
///
/// A call runs in two stages. First the **call stage**: the configured middlewares, then
/// governance's (degrade, faults, breaker, concurrency, timeout, retry and hedging), which
/// may run the second stage several times. Then, per attempt, the **instance stage**: an
/// ``InstanceSelector`` picks the instance (with governance: routing → load balancer →
/// instance breaker; without: round robin), the attempt goes out on that instance's pool
/// (multiplexed by sequence id on TTHeader and THeader), and its outcome goes back to the
/// selector. Failures are ``RPCError``s; declared exceptions come back in the result.
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
  private let selector: any InstanceSelector
  private let governor: ClientGovernor?
  private let middlewares: [any ClientMiddleware]
  let pools: ThriftInstancePools
  private let logger: Logger
  let nextSequenceID = Atomic<Int32>(0)
  let allocator = ByteBufferAllocator()

  /// A client of the instances `resolver` names. With `governance`, its rules apply to
  /// every call (see ``ClientGovernor``).
  public init(
    resolver: any InstanceResolver, configuration: ThriftClientConfiguration = .init(),
    governance: ClientGovernor? = nil,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "cloudweaver.thrift.client")
  ) {
    self.resolver = resolver
    self.configuration = configuration
    self.selector = governance ?? RoundRobinSelector()
    self.governor = governance
    self.middlewares = configuration.middlewares
    self.pools = ThriftInstancePools(configuration: configuration, group: eventLoopGroup)
    self.logger = logger
    if let fixed = resolver as? StaticResolver { update(fixed.instances) }
  }

  /// A client of fixed `host:port` addresses.
  public convenience init(
    addresses: [String], configuration: ThriftClientConfiguration = .init(), governance: ClientGovernor? = nil,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) throws {
    self.init(resolver: try StaticResolver(addresses: addresses), configuration: configuration, governance: governance, eventLoopGroup: eventLoopGroup)
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

  /// Replaces the instance set; connections to instances that left are closed, calls in
  /// flight on them finish first.
  func update(_ instances: [Instance]) {
    selector.update(instances)
    pools.update(instances)
  }

  /// Closes every connection. Calls in flight fail; later calls fail with `unavailable`.
  public func close() {
    pools.close()
  }

  /// What the client's connections moved and did, over all instances.
  public var transportStatistics: TransportStatistics { pools.statistics }

  /// Open connections, over all instances.
  public var connectionCount: Int { pools.all.reduce(0) { $0 + $1.connectionCount } }

  /// Connects started so far, over the instances the client still knows (a diagnostic:
  /// with an instance down, reconnects back off, so this grows slowly).
  public var connectAttempts: Int { pools.all.reduce(0) { $0 + $1.connectAttempts } }

  // MARK: Calls

  public func call<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result {
    try await callStage(method, args)
  }

  public func callOneway<Args>(_ method: ThriftMethodDescriptor<Args, ThriftOnewayResult>, _ args: Args) async throws {
    _ = try await callStage(method, args)
  }

  /// The call stage: the configured middlewares, then governance's, around the attempts.
  private func callStage<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result {
    let context = outgoingContext(for: method)
    let attempt: @Sendable (Args, CallContext) async throws -> Result = { args, context in
      try await self.attempt(method, args, context)
    }
    guard let governor else {
      if middlewares.isEmpty { return try await attempt(args, context) }
      return try await middlewares.run(args, context: context, call: attempt)
    }
    if middlewares.isEmpty { return try await governor.run(args, context: context, attempt: attempt) }
    return try await middlewares.run(args, context: context) { args, context in
      try await governor.run(args, context: context, attempt: attempt)
    }
  }

  /// Calls a draining server did not process (`shuttingDown`) are sent again, this many
  /// times at most, to an instance picked again: it is safe whatever the method does.
  static let maxUnprocessedResends = 3

  /// One attempt: the instance stage. Picks the instance, sends, decodes, and tells the
  /// selector how it went.
  private func attempt<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext) async throws -> Result {
    var resends = 0
    while true {
      let selection = try selector.select(context)
      CallEvents.peer(selection.instance)
      do {
        let result: Result
        if let reply = try await exchange(method, args, context, on: try pools.pool(for: selection.instance)) {
          result = try decodeReply(reply, as: Result.self, method: method.name)
        } else {
          guard method.isOneway, let sent = ThriftOnewayResult() as? Result else {
            throw RPCError(.protocolError, "'\(method.name)' is oneway: call it with callOneway, it has no reply")
          }
          result = sent
        }
        selection.finish(Self.outcome(of: result))
        return result
      } catch {
        let outcome = CallOutcome(error: error)
        selection.finish(outcome)
        guard outcome == .failure(.shuttingDown), resends < Self.maxUnprocessedResends else { throw error }
        resends += 1
      }
    }
  }

  /// A reply holding a declared exception is a business outcome, not a success.
  private static func outcome<Result: ThriftMethodResult>(of result: Result) -> CallOutcome {
    result.outcome
  }
}
