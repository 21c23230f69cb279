import NIOCore
import WeaverCore
import WeaverThrift

/// Turns a request frame into a reply frame: picks the service, builds the call context
/// (metadata, caller, deadline), runs the middlewares and the handler, and frames the reply
/// like the request. Knows nothing about connections or threads.
final class ThriftCallRouter: Sendable {
  private let dispatchers: [String: ThriftServiceDispatcher]
  /// Services in registration order, for calls that name no service.
  private let ordered: [(name: String, dispatcher: ThriftServiceDispatcher)]
  private let middlewares: [any ServerMiddleware]
  let limits: ThriftLimits
  let allocator = ByteBufferAllocator()

  init(services: [ThriftService], middlewares: [any ServerMiddleware], limits: ThriftLimits) {
    var dispatchers: [String: ThriftServiceDispatcher] = [:]
    var ordered: [(name: String, dispatcher: ThriftServiceDispatcher)] = []
    for service in services {
      let dispatcher = ThriftServiceDispatcher(methods: service.methods, limits: limits, mapError: ThriftErrorMapping.exception(for:method:))
      dispatchers[service.name] = dispatcher
      ordered.append((service.name, dispatcher))
    }
    self.dispatchers = dispatchers
    self.ordered = ordered
    self.middlewares = middlewares
    self.limits = limits
  }

  /// The message header of a request, or nil if it cannot be read.
  func callHeader(of frame: ThriftFrame) -> (ThriftMessageHeader, ByteBuffer)? {
    var arguments = frame.message
    guard let header = try? frame.protocol.readMessageBegin(from: &arguments, limits: limits) else { return nil }
    return (header, arguments)
  }

  /// Reads a request frame's message header and finds its service: either a call ready to
  /// run, or an immediate reply (an error, or nothing for a broken oneway call).
  func route(_ frame: ThriftFrame) -> ThriftRoute {
    guard let (call, arguments) = callHeader(of: frame) else {
      // Too broken to name a call; on header transports the frame still has a sequence id.
      guard let sequenceID = frame.header?.sequenceID else { return .reply(nil) }
      let reply = ThriftServiceDispatcher.exceptionReply(
        to: ThriftMessageHeader(name: "", type: .call, sequenceID: sequenceID),
        TApplicationException(.protocolError, "cannot read the message header"), protocol: frame.protocol, allocator: allocator)
      return .reply(replyFrame(for: frame, message: reply))
    }
    var method = call
    var serviceName = frame.header?.strings[ThriftHeaderKey.idlServiceName]
    if let colon = call.name.firstIndex(of: ":") {
      // Apache's TMultiplexedProtocol: "Service:method". Apache replies with the bare name.
      serviceName = String(call.name[..<colon])
      method.name = String(call.name[call.name.index(after: colon)...])
    }
    guard let (resolvedName, dispatcher) = dispatcher(service: serviceName, method: method.name) else {
      guard call.type != .oneway else { return .reply(nil) }
      let reply = ThriftServiceDispatcher.exceptionReply(
        to: method, TApplicationException(.unknownMethod, "Unknown service '\(serviceName ?? "")' for method '\(method.name)'"),
        protocol: frame.protocol, allocator: allocator)
      return .reply(replyFrame(for: frame, message: reply))
    }
    let context = callContext(for: frame, service: resolvedName, method: method.name)
    return .call(ThriftRoutedCall(frame: frame, header: method, arguments: arguments, dispatcher: dispatcher, context: context))
  }

  /// Runs a routed call's middlewares and handler under its call context; returns the reply
  /// frame, or nil for oneway calls. (The deadline is enforced by the caller, which cancels
  /// this task and answers with ``deadlineReply(for:)``.)
  func run(_ call: ThriftRoutedCall) async -> ThriftFrame? {
    let middlewares = self.middlewares
    let allocator = self.allocator
    let header = call.header
    let dispatcher = call.dispatcher
    let message: ByteBuffer? = await CallContext.withCurrent(call.context) {
      if middlewares.isEmpty {
        return await dispatcher.handle(call: header, arguments: call.arguments, protocol: call.frame.protocol, allocator: allocator)
      }
      do {
        let request = ThriftServerCall(header: header, arguments: call.arguments, protocol: call.frame.protocol)
        return try await middlewares.run(request, context: call.context) { request, _ in
          ThriftServerReply(await dispatcher.dispatch(call: request.header, arguments: request.arguments, protocol: request.protocol, allocator: allocator))
        }.message
      } catch {
        guard header.type != .oneway else { return nil }
        return ThriftServiceDispatcher.exceptionReply(
          to: header, ThriftErrorMapping.exception(for: error, method: header.name), protocol: call.frame.protocol, allocator: allocator)
      }
    }
    return message.map { replyFrame(for: call.frame, message: $0) }
  }

  /// The reply for a call whose deadline passed before its handler finished.
  func deadlineReply(for call: ThriftRoutedCall) -> ThriftFrame? {
    refusalReply(for: call.frame, header: call.header, RPCError(.deadlineExceeded, "deadline exceeded before '\(call.header.name)' finished"))
  }

  /// The reply for a request turned away with `error` (nil for oneway calls).
  func refusalReply(for frame: ThriftFrame, header: ThriftMessageHeader? = nil, _ error: RPCError) -> ThriftFrame? {
    guard let header = header ?? callHeader(of: frame)?.0, header.type != .oneway else { return nil }
    let message = ThriftServiceDispatcher.exceptionReply(
      to: header, ThriftErrorMapping.exception(for: error), protocol: frame.protocol, allocator: allocator)
    return replyFrame(for: frame, message: message)
  }

  /// The service a call is for: the one it names, else the only one, else the first that
  /// has the method.
  private func dispatcher(service: String?, method: String) -> (String, ThriftServiceDispatcher)? {
    if let service, let dispatcher = dispatchers[service] { return (service, dispatcher) }
    if ordered.count == 1 { return ordered[0] }
    return ordered.first { $0.dispatcher.method(named: method) != nil }
  }

  private func callContext(for frame: ThriftFrame, service: String, method: String) -> CallContext {
    var context = CallContext(service: service, method: method)
    if let header = frame.header {
      context.metadata = header.metadata
      context.headers = header.strings
      context.caller = header.ints[TTHeaderKey.fromService]
      if let timeout = header.ints[TTHeaderKey.rpcTimeout].flatMap(Int64.init), timeout > 0 {
        context.deadline = .now.advanced(by: .milliseconds(timeout))
      }
    }
    return context
  }

  /// A draining server's last frame on a header connection: an exception for sequence id
  /// 0, which no call waits for, carrying `crrst` and ``ThriftHeaderKey/drained``.
  func drainedNotice(transport: ThriftTransport, protocol: ThriftProtocolID) -> ThriftFrame {
    let message = ThriftServiceDispatcher.exceptionReply(
      to: ThriftMessageHeader(name: "", type: .call, sequenceID: 0),
      TApplicationException(.internalError, "server shutting down: every call read from this connection was answered"),
      protocol: `protocol`, allocator: allocator)
    let strings = [ThriftHeaderKey.connectionReset: "1", ThriftHeaderKey.drained: "1"]
    return ThriftFrame(
      transport: transport, protocol: `protocol`, header: ThriftFrameHeader(sequenceID: 0, strings: strings), message: message)
  }

  /// A reply frame like `request`'s: same transport, protocol and sequence id.
  func replyFrame(for request: ThriftFrame, message: ByteBuffer, extraHeaders: [String: String] = [:]) -> ThriftFrame {
    var header: ThriftFrameHeader?
    if let requestHeader = request.header {
      header = ThriftFrameHeader(sequenceID: requestHeader.sequenceID, flags: requestHeader.flags, strings: extraHeaders)
    }
    return ThriftFrame(transport: request.transport, protocol: request.protocol, header: header, message: message)
  }
}

/// What the router makes of a request frame.
enum ThriftRoute {
  /// Answer at once with this frame (nil: send nothing).
  case reply(ThriftFrame?)
  /// Run this call.
  case call(ThriftRoutedCall)
}

/// A request whose service and method are known, with the context it runs under. (A
/// class: it is handed from the read to the call's task to its reply, and one reference is
/// cheaper to pass around than a dozen.)
final class ThriftRoutedCall: Sendable {
  let frame: ThriftFrame
  /// The message header, with a `Service:` prefix already removed.
  let header: ThriftMessageHeader
  let arguments: ByteBuffer
  let dispatcher: ThriftServiceDispatcher
  let context: CallContext

  init(frame: ThriftFrame, header: ThriftMessageHeader, arguments: ByteBuffer, dispatcher: ThriftServiceDispatcher, context: CallContext) {
    self.frame = frame
    self.header = header
    self.arguments = arguments
    self.dispatcher = dispatcher
    self.context = context
  }
}

/// A call as server middleware sees it.
public struct ThriftServerCall: Sendable {
  public var header: ThriftMessageHeader
  /// The encoded args struct.
  public var arguments: ByteBuffer
  public var `protocol`: ThriftProtocolID
}

/// A reply as server middleware sees it: the encoded reply message (nil for oneway calls)
/// and how the call ended (a declared exception is encoded like any reply).
public struct ThriftServerReply: Sendable, OutcomeReporting {
  public var message: ByteBuffer?
  public var outcome: CallOutcome

  public init(message: ByteBuffer?, outcome: CallOutcome) {
    self.message = message
    self.outcome = outcome
  }

  init(_ result: ThriftDispatchResult) {
    self.init(message: result.message, outcome: ThriftErrorMapping.outcome(result.outcome))
  }
}
