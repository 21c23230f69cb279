import NIOCore
import Synchronization
import WeaverCore
import WeaverThrift

/// Services run through the same router and server middleware as ``ThriftServer``, without
/// sockets: each call is encoded and framed as on TTHeader (metadata, caller and deadline
/// travel), routed, run, and its reply decoded. For tests of handlers and middleware, and
/// for calling a service inside its own process.
///
/// ```swift
/// let server = ThriftLocalServer(services: [Calculator.service(CalculatorHandler())], middlewares: [Audit()])
/// let calculator = Calculator.Client(channel: server.channel(callerName: "test"))
/// ```
public final class ThriftLocalServer: Sendable {
  let router: ThriftCallRouter

  public init(services: [ThriftService], middlewares: [any ServerMiddleware] = [], limits: ThriftLimits = .default) {
    router = ThriftCallRouter(services: services, middlewares: middlewares, limits: limits)
  }

  /// A channel to these services. Calls inherit the current ``CallContext``'s persistent
  /// metadata and deadline, as a ``ThriftClient``'s do.
  public func channel(protocol: ThriftProtocolID = .binary, callerName: String? = nil) -> some ThriftClientChannel {
    ThriftLocalChannel(router: router, protocol: `protocol`, callerName: callerName)
  }
}

/// The channel of a ``ThriftLocalServer``.
struct ThriftLocalChannel: ThriftClientChannel {
  let router: ThriftCallRouter
  let `protocol`: ThriftProtocolID
  let callerName: String?
  private static let sequence = Atomic<Int32>(0)

  func call<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result {
    guard let reply = try await exchange(method, args) else {
      throw RPCError(.protocolError, "'\(method.name)' is oneway: call it with callOneway, it has no reply")
    }
    return try ThriftCallEncoding.decodeReply(reply, as: Result.self, method: method.name, limits: router.limits)
  }

  func callOneway<Args>(_ method: ThriftMethodDescriptor<Args, ThriftOnewayResult>, _ args: Args) async throws {
    _ = try await exchange(method, args)
  }

  private func exchange<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> ThriftFrame? {
    var context = CallContext(service: method.serviceName, method: method.name, caller: callerName)
    if let current = CallContext.current {
      context.metadata.persistent = current.metadata.persistent
      context.metadata.transient = current.metadata.transient
      context.deadline = current.deadline
    }
    let sequenceID = max(1, Self.sequence.wrappingAdd(1, ordering: .relaxed).newValue & Int32.max)
    let frame = ThriftCallEncoding.requestFrame(
      method, args, context, sequenceID: sequenceID, transport: .ttheader, protocol: `protocol`, multiplexedName: false,
      allocator: router.allocator)
    switch router.route(frame) {
    case .reply(let reply): return reply
    case .call(let call): return await router.run(call)
    }
  }
}
