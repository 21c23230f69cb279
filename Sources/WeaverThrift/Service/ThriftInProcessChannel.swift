import NIOCore
import Synchronization

/// A ``ThriftClientChannel`` that serves calls in the same process: each call is encoded
/// into a real Thrift message, handed to a ``ThriftServiceDispatcher``, and the reply
/// message decoded, exactly as over a socket minus the socket. For tests and demos.
///
/// ```swift
/// let channel = ThriftInProcessChannel(serving: Calculator.serverMethods(for: MyCalculator()))
/// let client = Calculator.Client(channel: channel)
/// ```
public final class ThriftInProcessChannel: ThriftClientChannel {
  public let dispatcher: ThriftServiceDispatcher
  public let `protocol`: ThriftProtocolID
  private let nextSequenceID = Atomic<Int32>(0)

  public init(serving methods: [ThriftServerMethod], protocol: ThriftProtocolID = .binary, limits: ThriftLimits = .default) {
    self.dispatcher = ThriftServiceDispatcher(methods: methods, limits: limits)
    self.protocol = `protocol`
  }

  private func encodeCall<Args: ThriftStruct>(_ name: String, _ type: ThriftMessageType, _ args: Args) -> (ByteBuffer, Int32) {
    let sequenceID = nextSequenceID.wrappingAdd(1, ordering: .relaxed).newValue
    var buffer = ByteBufferAllocator().buffer(capacity: 256)
    `protocol`.writeMessageBegin(ThriftMessageHeader(name: name, type: type, sequenceID: sequenceID), into: &buffer)
    args.encode(into: &buffer, protocol: `protocol`)
    return (buffer, sequenceID)
  }

  public func call<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result {
    let (request, sequenceID) = encodeCall(method.name, .call, args)
    guard var reply = await dispatcher.handle(request, protocol: `protocol`) else {
      throw TApplicationException(.missingResult, "no reply to '\(method.name)'")
    }
    let header = try `protocol`.readMessageBegin(from: &reply, limits: dispatcher.limits)
    guard header.sequenceID == sequenceID else {
      throw TApplicationException(.badSequenceID, "reply has sequence id \(header.sequenceID), expected \(sequenceID)")
    }
    guard header.name == method.name else {
      throw TApplicationException(.wrongMethodName, "reply is for '\(header.name)', expected '\(method.name)'")
    }
    switch header.type {
    case .reply:
      return try `protocol`.decode(Result.self, from: &reply, limits: dispatcher.limits)
    case .exception:
      throw try `protocol`.decode(TApplicationException.self, from: &reply, limits: dispatcher.limits)
    default:
      throw TApplicationException(.invalidMessageType, "unexpected \(header.type) message in reply to '\(method.name)'")
    }
  }

  public func callOneway<Args>(_ method: ThriftMethodDescriptor<Args, ThriftOnewayResult>, _ args: Args) async throws {
    let (request, _) = encodeCall(method.name, .oneway, args)
    _ = await dispatcher.handle(request, protocol: `protocol`)
  }
}
