import NIOCore
import WeaverCore
import WeaverThrift

/// Request frames out, results back: shared by ``ThriftClient`` and ``ThriftLocalServer``.
enum ThriftCallEncoding {
  /// The frame of one call: its message, and on header transports its metadata, service,
  /// caller and remaining time.
  static func requestFrame<Args, Result>(
    _ method: ThriftMethodDescriptor<Args, Result>, _ args: Args, _ context: CallContext, sequenceID: Int32,
    transport: ThriftTransport, protocol: ThriftProtocolID, multiplexedName: Bool, allocator: ByteBufferAllocator
  ) -> ThriftFrame {
    let name = multiplexedName ? "\(method.serviceName):\(method.name)" : method.name
    var message = allocator.buffer(capacity: 256)
    `protocol`.writeMessageBegin(ThriftMessageHeader(name: name, type: method.isOneway ? .oneway : .call, sequenceID: sequenceID), into: &message)
    args.encode(into: &message, protocol: `protocol`)
    guard transport.isMultiplexed else {
      return ThriftFrame(transport: transport, protocol: `protocol`, message: message)
    }
    var header = ThriftFrameHeader(
      sequenceID: sequenceID, strings: [ThriftHeaderKey.idlServiceName: method.serviceName],
      metadata: context.metadata)
    // The call's plain headers (trace context, …); the transport's own keys win.
    if !context.headers.isEmpty { header.strings.merge(context.headers) { own, _ in own } }
    if transport == .ttheader {
      header.ints = Dictionary(minimumCapacity: 4)  // (not reserveCapacity: it is not inlinable, so unspecialised)
      header.ints[TTHeaderKey.toService] = method.serviceName
      header.ints[TTHeaderKey.toMethod] = method.name
      if let caller = context.caller { header.ints[TTHeaderKey.fromService] = caller }
      if let remaining = context.remaining() {
        let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        header.ints[TTHeaderKey.rpcTimeout] = String(max(1, milliseconds))
      }
    }
    return ThriftFrame(transport: transport, protocol: `protocol`, header: header, message: message)
  }

  /// The result struct of a reply; an exception reply throws what it stands for
  /// (``ThriftErrorMapping``).
  static func decodeReply<Result: ThriftMethodResult>(_ reply: ThriftFrame, as: Result.Type, method: String, limits: ThriftLimits) throws -> Result {
    var message = reply.message
    do {
      let header = try reply.protocol.readMessageBegin(from: &message, limits: limits)
      switch header.type {
      case .reply:
        return try reply.protocol.decode(Result.self, from: &message, limits: limits)
      case .exception:
        throw ThriftErrorMapping.error(from: try reply.protocol.decode(TApplicationException.self, from: &message, limits: limits))
      default:
        throw RPCError(.protocolError, "reply to '\(method)' is a \(header.type) message")
      }
    } catch let error as ThriftProtocolError {
      throw RPCError(.protocolError, "cannot decode the reply to '\(method)': \(error)")
    }
  }
}
