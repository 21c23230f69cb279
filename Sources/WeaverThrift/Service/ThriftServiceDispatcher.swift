import NIOCore

/// Routes complete Thrift messages to ``ThriftServerMethod``s and builds the reply messages:
/// the part of a server that knows nothing about sockets or framing.
///
/// Unknown methods, undecodable arguments and undeclared handler errors come back as
/// `TApplicationException` replies of the matching kind, so a client always gets an answer
/// to a call. A name of the form `Service:method` (Apache's `TMultiplexedProtocol`) is
/// routed by its method part; choosing among services by prefix is the server's job.
public struct ThriftServiceDispatcher: Sendable {
  private var methods: [String: ThriftServerMethod] = [:]
  public var limits: ThriftLimits
  /// Turns an undeclared error a handler threw into the exception sent back (a runtime
  /// maps its own error types here); nil: `internalError` with the error's description.
  public var mapError: (@Sendable (_ error: any Error, _ method: String) -> TApplicationException)?

  public init(
    methods: [ThriftServerMethod], limits: ThriftLimits = .default,
    mapError: (@Sendable (_ error: any Error, _ method: String) -> TApplicationException)? = nil
  ) {
    self.limits = limits
    self.mapError = mapError
    for method in methods {
      self.methods[method.name] = method
    }
  }

  /// The method a message name (`method` or `Service:method`) refers to.
  public func method(named name: String) -> ThriftServerMethod? {
    if let method = methods[name] { return method }
    guard let colon = name.lastIndex(of: ":") else { return nil }
    return methods[String(name[name.index(after: colon)...])]
  }

  /// Handles one complete message (header and arguments). Returns the reply message, or nil
  /// when there is nothing to send back (oneway calls, or a message too broken to answer).
  public func handle(
    _ message: ByteBuffer, protocol: ThriftProtocolID, allocator: ByteBufferAllocator = ByteBufferAllocator()
  ) async -> ByteBuffer? {
    var arguments = message
    guard let header = try? `protocol`.readMessageBegin(from: &arguments, limits: limits) else { return nil }
    return await handle(call: header, arguments: arguments, protocol: `protocol`, allocator: allocator)
  }

  /// Handles a call whose message header has been read; `arguments` holds the args struct.
  /// The reply carries the call's name and sequence id.
  public func handle(
    call header: ThriftMessageHeader, arguments: ByteBuffer, protocol: ThriftProtocolID,
    allocator: ByteBufferAllocator = ByteBufferAllocator()
  ) async -> ByteBuffer? {
    await dispatch(call: header, arguments: arguments, protocol: `protocol`, allocator: allocator).message
  }

  /// Handles a call like ``handle(call:arguments:protocol:allocator:)`` and also says how it
  /// ended, for middleware that counts outcomes.
  public func dispatch(
    call header: ThriftMessageHeader, arguments: ByteBuffer, protocol: ThriftProtocolID,
    allocator: ByteBufferAllocator = ByteBufferAllocator()
  ) async -> ThriftDispatchResult {
    let isOneway = header.type == .oneway
    guard header.type == .call || isOneway else {
      let exception = TApplicationException(.invalidMessageType, "expected a call, got \(header.type)")
      return ThriftDispatchResult(message: reply(to: header, .exception(exception), protocol: `protocol`, allocator: allocator), outcome: .applicationException(exception.kind))
    }
    guard let method = method(named: header.name) else {
      let exception = TApplicationException(.unknownMethod, "Invalid method name: '\(header.name)'")
      if isOneway { return ThriftDispatchResult(message: nil, outcome: .applicationException(exception.kind)) }
      return ThriftDispatchResult(message: reply(to: header, .exception(exception), protocol: `protocol`, allocator: allocator), outcome: .applicationException(exception.kind))
    }
    let outcome: Outcome
    let result: ThriftCallOutcome
    do {
      let output = try await method.run(arguments: arguments, protocol: `protocol`, limits: limits)
      outcome = .result(output.result)
      result = output.isDeclaredException ? .declaredException : .success
    } catch let error as ThriftProtocolError {
      outcome = .exception(TApplicationException(.protocolError, "Error decoding arguments of '\(header.name)': \(error)"))
      result = .applicationException(.protocolError)
    } catch let error as TApplicationException {
      outcome = .exception(error)
      result = .applicationException(error.kind)
    } catch {
      let exception = mapError?(error, header.name) ?? TApplicationException(.internalError, "Internal error processing '\(header.name)': \(error)")
      outcome = .exception(exception)
      result = .applicationException(exception.kind)
    }
    if isOneway || method.isOneway { return ThriftDispatchResult(message: nil, outcome: result) }
    return ThriftDispatchResult(message: reply(to: header, outcome, protocol: `protocol`, allocator: allocator), outcome: result)
  }

  /// A reply message carrying `exception` for the call `header`.
  public static func exceptionReply(
    to header: ThriftMessageHeader, _ exception: TApplicationException, protocol: ThriftProtocolID,
    allocator: ByteBufferAllocator = ByteBufferAllocator()
  ) -> ByteBuffer {
    var buffer = allocator.buffer(capacity: 64 + exception.message.utf8.count)
    `protocol`.writeMessageBegin(ThriftMessageHeader(name: header.name, type: .exception, sequenceID: header.sequenceID), into: &buffer)
    exception.encode(into: &buffer, protocol: `protocol`)
    return buffer
  }

  private enum Outcome {
    case result(any ThriftStruct)
    case exception(TApplicationException)
  }

  private func reply(to call: ThriftMessageHeader, _ outcome: Outcome, protocol: ThriftProtocolID, allocator: ByteBufferAllocator) -> ByteBuffer {
    switch outcome {
    case .result(let result):
      var buffer = allocator.buffer(capacity: 256)
      `protocol`.writeMessageBegin(ThriftMessageHeader(name: call.name, type: .reply, sequenceID: call.sequenceID), into: &buffer)
      result.encode(into: &buffer, protocol: `protocol`)
      return buffer
    case .exception(let exception):
      return Self.exceptionReply(to: call, exception, protocol: `protocol`, allocator: allocator)
    }
  }
}

/// A dispatched call's reply message (nil for oneway calls) and how the call ended.
public struct ThriftDispatchResult: Sendable {
  public var message: ByteBuffer?
  public var outcome: ThriftCallOutcome
}

/// How a call ended on the server, as seen by the dispatcher.
public enum ThriftCallOutcome: Hashable, Sendable {
  case success
  /// The handler threw one of the method's declared exceptions.
  case declaredException
  /// The call failed with a `TApplicationException` of this kind (unknown method, bad
  /// arguments, an undeclared error from the handler).
  case applicationException(TApplicationException.Kind)
}
