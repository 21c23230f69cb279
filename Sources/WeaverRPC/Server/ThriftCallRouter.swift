import NIOCore
import WeaverCore
import WeaverThrift

/// Turns a request frame into a reply frame: picks the service, builds the call context
/// (metadata, caller, deadline), runs the middlewares and the handler, and frames the reply
/// like the request. Knows nothing about connections.
struct ThriftCallRouter: Sendable {
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
      let dispatcher = ThriftServiceDispatcher(methods: service.methods, limits: limits)
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

  /// The reply frame for a request frame whose call is refused with `exception`.
  func refusal(_ frame: ThriftFrame, _ exception: TApplicationException, extraHeaders: [String: String] = [:]) -> ThriftFrame? {
    guard let (call, _) = callHeader(of: frame), call.type != .oneway else { return nil }
    let reply = ThriftServiceDispatcher.exceptionReply(to: call, exception, protocol: frame.protocol, allocator: allocator)
    return replyFrame(for: frame, message: reply, extraHeaders: extraHeaders)
  }

  /// Handles a request frame; returns the reply frame, or nil for oneway calls.
  func handle(_ frame: ThriftFrame, connectionClosing: Bool) async -> ThriftFrame? {
    let closing = connectionClosing ? [ThriftHeaderKey.connectionReset: "1"] : [:]
    guard let (call, arguments) = callHeader(of: frame) else {
      // Too broken to name a call; on header transports the frame still has a sequence id.
      guard let sequenceID = frame.header?.sequenceID else { return nil }
      let reply = ThriftServiceDispatcher.exceptionReply(
        to: ThriftMessageHeader(name: "", type: .call, sequenceID: sequenceID),
        TApplicationException(.protocolError, "cannot read the message header"), protocol: frame.protocol, allocator: allocator)
      return replyFrame(for: frame, message: reply, extraHeaders: closing)
    }
    var method = call
    var serviceName = frame.header?.strings[ThriftHeaderKey.idlServiceName]
    if let colon = call.name.firstIndex(of: ":") {
      // Apache's TMultiplexedProtocol: "Service:method". Apache replies with the bare name.
      serviceName = String(call.name[..<colon])
      method.name = String(call.name[call.name.index(after: colon)...])
    }
    guard let (resolvedName, dispatcher) = dispatcher(service: serviceName, method: method.name) else {
      guard call.type != .oneway else { return nil }
      let reply = ThriftServiceDispatcher.exceptionReply(
        to: method, TApplicationException(.unknownMethod, "Unknown service '\(serviceName ?? "")' for method '\(method.name)'"),
        protocol: frame.protocol, allocator: allocator)
      return replyFrame(for: frame, message: reply, extraHeaders: closing)
    }
    let context = callContext(for: frame, service: resolvedName, method: method.name)
    let reply = await run(method, arguments, frame.protocol, dispatcher, context)
    return reply.map { replyFrame(for: frame, message: $0, extraHeaders: closing) }
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
      context.metadata = Metadata(receivedHeaders: header.strings)
      context.caller = header.ints[TTHeaderKey.fromService]
      if let timeout = header.ints[TTHeaderKey.rpcTimeout].flatMap(Int64.init), timeout > 0 {
        context.deadline = .now.advanced(by: .milliseconds(timeout))
      }
    }
    return context
  }

  /// Runs the call under its context and deadline: past the deadline the handler is
  /// cancelled and the caller gets an error instead of waiting.
  private func run(
    _ call: ThriftMessageHeader, _ arguments: ByteBuffer, _ protocol: ThriftProtocolID,
    _ dispatcher: ThriftServiceDispatcher, _ context: CallContext
  ) async -> ByteBuffer? {
    let request = ThriftServerCall(header: call, arguments: arguments, protocol: `protocol`)
    let middlewares = self.middlewares
    let allocator = self.allocator
    let work: @Sendable () async -> ByteBuffer? = {
      await CallContext.$current.withValue(context) {
        if middlewares.isEmpty {
          return await dispatcher.handle(call: call, arguments: arguments, protocol: `protocol`, allocator: allocator)
        }
        do {
          return try await middlewares.run(request, context: context) { request, _ in
            ThriftServerReply(message: await dispatcher.handle(call: request.header, arguments: request.arguments, protocol: request.protocol, allocator: allocator))
          }.message
        } catch {
          return ThriftServiceDispatcher.exceptionReply(
            to: call, TApplicationException(.internalError, "\(error)"), protocol: `protocol`, allocator: allocator)
        }
      }
    }
    guard let deadline = context.deadline else { return await work() }
    if deadline <= .now { return deadlineReply(call, `protocol`) }
    return await withTaskGroup(of: ByteBuffer??.self) { group in
      group.addTask { await work() }
      group.addTask {
        try? await Task.sleep(until: deadline, clock: .continuous)
        return Task.isCancelled ? nil : .some(self.deadlineReply(call, `protocol`))
      }
      let first = await group.next()!
      group.cancelAll()
      return first ?? nil
    }
  }

  private func deadlineReply(_ call: ThriftMessageHeader, _ protocol: ThriftProtocolID) -> ByteBuffer? {
    guard call.type != .oneway else { return nil }
    return ThriftServiceDispatcher.exceptionReply(
      to: call, TApplicationException(.internalError, "deadline exceeded before '\(call.name)' finished"), protocol: `protocol`, allocator: allocator)
  }

  /// A reply frame like `request`'s: same transport, protocol and sequence id.
  func replyFrame(for request: ThriftFrame, message: ByteBuffer, extraHeaders: [String: String]) -> ThriftFrame {
    var header: ThriftFrameHeader?
    if let requestHeader = request.header {
      header = ThriftFrameHeader(sequenceID: requestHeader.sequenceID, flags: requestHeader.flags, strings: extraHeaders)
    }
    return ThriftFrame(transport: request.transport, protocol: request.protocol, header: header, message: message)
  }
}

/// A call as server middleware sees it.
public struct ThriftServerCall: Sendable {
  public var header: ThriftMessageHeader
  /// The encoded args struct.
  public var arguments: ByteBuffer
  public var `protocol`: ThriftProtocolID
}

/// A reply as server middleware sees it: the encoded reply message, or nil for oneway calls.
public struct ThriftServerReply: Sendable {
  public var message: ByteBuffer?
}
