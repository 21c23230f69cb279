import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import WeaverCore
import WeaverDiscovery
import WeaverGovernance

/// A gRPC client transport that governs every call made through it, under the generated
/// stubs you already use: the instances come from a CloudWeaver resolver, and each call
/// runs CloudWeaver's client middleware (tracing, metrics) and a ``ClientGovernor``'s call
/// stage (degrade, faults, timeout, client limit, budgeted retries, method breaker), each
/// attempt choosing its instance through routing (release tag, region), the load balancer
/// and the instance breakers, over one HTTP/2 connection per instance.
///
/// ```swift
/// let transport = GovernedGRPCTransport(resolver: resolver, governance: ClientGovernor(rules: rules))
/// try await withGRPCClient(transport: transport) { client in
///   let echo = Echo_Echo.Client(wrapping: client)
///   let reply = try await echo.echo(.with { $0.message = "hi" })
/// }
/// ```
///
/// The call's context crosses the hop in gRPC metadata (see ``GRPCCallMetadata``), so a
/// release tag set at the edge, or inherited from the Thrift call being served, reaches
/// this service's canary instances too. Keep grpc-swift's own retry and hedging off
/// (the default: no `executionPolicy`): the governor retries. Retries re-send calls whose
/// request is one message (unary, server streaming) and only while no response message has
/// reached the caller; other calls make one attempt.
public final class GovernedGRPCTransport: ClientTransport {
  public typealias Bytes = GRPCNIOTransportBytes

  /// How the transport connects and what it adds to each call.
  public struct Configuration: Sendable {
    /// The caller's service name, sent as `weaver-caller` (for fault rules keyed by caller).
    public var callerName: String?
    /// Client middleware run around each call (outside the governor): tracing, metrics, …
    public var middlewares: [any ClientMiddleware]
    /// The HTTP/2 transport settings of each instance's connection.
    public var transport: HTTP2ClientTransport.Posix.Config
    /// Plaintext or TLS, for every instance.
    public var transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity

    public init(
      callerName: String? = nil, middlewares: [any ClientMiddleware] = [], transport: HTTP2ClientTransport.Posix.Config = .defaults,
      transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity = .plaintext
    ) {
      self.callerName = callerName
      self.middlewares = middlewares
      self.transport = transport
      self.transportSecurity = transportSecurity
    }
  }

  public let configuration: Configuration
  private let resolver: any InstanceResolver
  private let selector: any InstanceSelector
  private let governor: ClientGovernor?
  private let instances: GRPCInstanceTransports
  /// Ends `connect()`'s wait once shutdown begins.
  private let shutdown: AsyncStream<Void>.Continuation
  private let shutdownSignal: AsyncStream<Void>

  public init(resolver: any InstanceResolver, governance: ClientGovernor? = nil, configuration: Configuration = Configuration()) {
    self.resolver = resolver
    self.governor = governance
    self.selector = governance ?? RoundRobinSelector()
    self.configuration = configuration
    let (signal, continuation) = AsyncStream<Void>.makeStream()
    self.shutdownSignal = signal
    self.shutdown = continuation
    let settings = configuration
    self.instances = GRPCInstanceTransports { instance in
      let target: any ResolvableTarget =
        IPv4Literal.isIPv4(instance.host)
        ? .ipv4(address: instance.host, port: instance.port) as ResolvableTargets.IPv4 : ResolvableTargets.DNS(host: instance.host, port: instance.port)
      return try HTTP2ClientTransport.Posix(target: target, transportSecurity: settings.transportSecurity, config: settings.transport)
    }
    if let fixed = resolver as? StaticResolver { update(fixed.instances) }
  }

  /// Governed calls to fixed `host:port` addresses.
  public convenience init(addresses: [String], governance: ClientGovernor? = nil, configuration: Configuration = Configuration()) throws {
    self.init(resolver: try StaticResolver(addresses: addresses), governance: governance, configuration: configuration)
  }

  public var retryThrottle: RetryThrottle? { nil }

  public func config(forMethod descriptor: MethodDescriptor) -> MethodConfig? { nil }

  /// Follows discovery and keeps a connection per instance until ``beginGracefulShutdown()``
  /// (`GRPCClient.runConnections()` calls it).
  public func connect() async throws {
    // Two groups: the connections (left to finish their graceful shutdown) and discovery
    // (cancelled when shutdown begins).
    await withDiscardingTaskGroup { connections in
      await withDiscardingTaskGroup { discovery in
        discovery.addTask { [resolver] in
          // A failed resolver keeps the instances it gave.
          do {
            for try await update in resolver.updates() { self.update(update) }
          } catch {}
        }
        var signals = shutdownSignal.makeAsyncIterator()
        // Transports made by updates are started here, on the groups' own task.
        repeat {
          for transport in instances.takeUnstarted() { connections.addTask { try? await transport.connect() } }
        } while await signals.next() != nil
        discovery.cancelAll()
      }
      for transport in instances.close() { transport.beginGracefulShutdown() }
    }
  }

  public func beginGracefulShutdown() {
    shutdown.finish()
  }

  func update(_ instances: [Instance]) {
    selector.update(instances)
    for gone in self.instances.update(instances) { gone.beginGracefulShutdown() }
    // Wake connect() to start the new instances' transports.
    shutdown.yield()
  }

  // MARK: Calls

  public func withStream<T: Sendable>(
    descriptor: MethodDescriptor, options: CallOptions, _ closure: (RPCStream<Inbound, Outbound>, ClientContext) async throws -> T
  ) async throws -> T {
    let context = outgoingContext(for: descriptor, options: options)
    // The caller's closure runs once per attempt, always on this task (never two at once).
    return try await withoutActuallyEscaping(closure) { closure in
      let body = UncheckedAttemptBody(run: closure)
      let attempt: @Sendable (Void, CallContext) async throws -> AttemptResult<T> = { _, context in
        try await self.attempt(descriptor: descriptor, options: options, context: context, body: body)
      }
      do {
        let result: AttemptResult<T>
        let replayable = descriptor.type.map { !$0.isRequestStreaming } ?? false
        switch (governor, configuration.middlewares.isEmpty) {
        case (let governor?, true):
          result = try await governor.run((), context: context, concurrentAttempts: false, attempt: replayable ? attempt : Self.once(attempt))
        case (let governor?, false):
          result = try await configuration.middlewares.run((), context: context) { _, context in
            try await governor.run((), context: context, concurrentAttempts: false, attempt: replayable ? attempt : Self.once(attempt))
          }
        case (nil, true):
          result = try await attempt((), context)
        case (nil, false):
          result = try await configuration.middlewares.run((), context: context, call: attempt)
        }
        return result.value
      } catch let failed as FailedAttempt<T> {
        // The service's own failed answer, as grpc-swift made it for the caller.
        return failed.value
      } catch let error as WeaverCore.RPCError {
        throw GRPCErrorMapping.grpcError(error)
      }
    }
  }

  /// An attempt that refuses to run twice: a request stream cannot be sent again.
  private static func once<T>(
    _ attempt: @escaping @Sendable (Void, CallContext) async throws -> AttemptResult<T>
  ) -> @Sendable (Void, CallContext) async throws -> AttemptResult<T> {
    let ran = Atomic<Bool>(false)
    return { request, context in
      if ran.exchange(true, ordering: .relaxed) {
        throw WeaverCore.RPCError(.unavailable, "\(context.service).\(context.method) streams its request: not retried")
      }
      return try await attempt(request, context)
    }
  }

  /// One attempt: pick the instance, run the caller's stream over its connection, report.
  private func attempt<T: Sendable>(
    descriptor: MethodDescriptor, options: CallOptions, context: CallContext, body: UncheckedAttemptBody<T>
  ) async throws -> AttemptResult<T> {
    let selection = try selector.select(context)
    CallEvents.peer(selection.instance)
    let transport: GRPCInstanceTransports.Transport
    do { transport = try instances.transport(for: selection.instance) } catch {
      selection.finish(.failure(error.code))
      throw error
    }
    let observation = AttemptObservation()
    let opened = Atomic<Bool>(false)
    let value: T
    do {
      value = try await withThrowingDiscardingTaskGroup(returning: T.self) { group in
        try await transport.withStream(descriptor: descriptor, options: options) { stream, clientContext in
          opened.store(true, ordering: .relaxed)
          let inbound = Self.inbound(stream.inbound, observation: observation, deadline: context.deadline, group: &group)
          defer { group.cancelAll() }
          let outbound = RPCWriter.Closable(wrapping: ContextOutbound(upstream: stream.outbound, context: context))
          return try await body.run(RPCStream(descriptor: stream.descriptor, inbound: inbound, outbound: outbound), clientContext)
        }
      }
    } catch {
      // Never opened: nothing was sent, safe to send elsewhere.
      let outcome: CallOutcome = opened.load(ordering: .relaxed) ? GRPCErrorMapping.outcome(ofAny: error) : .failure(.connectFailed)
      selection.finish(outcome)
      if let code = outcome.failureCode, !opened.load(ordering: .relaxed) {
        throw WeaverCore.RPCError(code, "could not open a stream to \(selection.instance): \(error)")
      }
      throw error
    }
    let outcome = observation.outcome
    selection.finish(outcome)
    // A failure before any response message reached the caller may be retried; after one,
    // the attempt is committed and its answer stands (counted as failed all the same).
    if let code = outcome.failureCode, !observation.deliveredMessage {
      throw FailedAttempt(value: value, failureCode: code)
    }
    return AttemptResult(value: value, outcome: outcome)
  }

  /// The response stream the caller reads: observed, and ended by the call's deadline when it
  /// has one (the pump runs in `group`, which the attempt cancels when it is over).
  private static func inbound(
    _ upstream: Inbound, observation: AttemptObservation, deadline: ContinuousClock.Instant?, group: inout ThrowingDiscardingTaskGroup<any Error>
  ) -> Inbound {
    let observed = ObservedInbound(upstream: upstream, observation: observation)
    guard let deadline else { return RPCAsyncSequence(wrapping: observed) }
    let (stream, continuation) = AsyncThrowingStream<RPCResponsePart<Bytes>, any Error>.makeStream()
    group.addTask {
      do {
        for try await part in observed { continuation.yield(part) }
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    group.addTask {
      // Cancelled when the attempt ends first.
      guard (try? await Task.sleep(until: deadline, tolerance: .zero, clock: .continuous)) != nil else { return }
      observation.ended(.failure(.deadlineExceeded))
      continuation.finish(throwing: GRPCCore.RPCError(code: .deadlineExceeded, message: "the deadline passed before the reply came"))
    }
    return RPCAsyncSequence(wrapping: stream)
  }

  /// The context a call starts with: the method, this client's caller name, and what the
  /// call being served (``CallContext/current``) passes on — persistent metadata, deadline.
  private func outgoingContext(for descriptor: MethodDescriptor, options: CallOptions) -> CallContext {
    let current = CallContext.current
    var context = CallContext(service: descriptor.service.fullyQualifiedService, method: descriptor.method, caller: configuration.callerName)
    if let current {
      context.metadata = Metadata(transient: current.metadata.transient, persistent: current.metadata.persistent)
      context.deadline = current.deadline
    }
    if let timeout = options.timeout {
      let deadline = ContinuousClock.now.advanced(by: timeout)
      context.deadline = context.deadline.map { min($0, deadline) } ?? deadline
    }
    return context
  }
}

/// The caller's per-attempt closure, carried into the governor's `@Sendable` attempt. Safe
/// because the governor runs this transport's attempts one after another on the calling
/// task (`concurrentAttempts: false`) and never after `withStream` returns.
private struct UncheckedAttemptBody<T: Sendable>: @unchecked Sendable {
  let run: (RPCStream<GovernedGRPCTransport.Inbound, GovernedGRPCTransport.Outbound>, ClientContext) async throws -> T
}

/// An attempt's value and how it counted (a declared status is a business answer).
struct AttemptResult<T: Sendable>: Sendable, OutcomeReporting {
  let value: T
  let outcome: CallOutcome
}

/// An attempt that failed by its status: the governor sees the failure (and may retry
/// when nothing reached the caller yet), the caller gets grpc-swift's own answer.
struct FailedAttempt<T: Sendable>: Error, FailureClassifying {
  let value: T
  let failureCode: WeaverCore.RPCError.Code
}

/// Whether a host is an IPv4 literal (grpc-swift resolves those without DNS).
enum IPv4Literal {
  static func isIPv4(_ host: String) -> Bool {
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { part in UInt8(part) != nil }
  }
}
