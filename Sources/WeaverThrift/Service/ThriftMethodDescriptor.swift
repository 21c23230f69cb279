import WeaverCore
/// Names one method of a service and the types that carry its arguments and result.
/// Generated code declares one per method (`Calculator.Method.add`); runtimes use it to
/// encode calls and decode replies.
public struct ThriftMethodDescriptor<Args: ThriftStruct, Result: ThriftMethodResult>: Sendable, Hashable {
  /// The IDL service that declares the method.
  public var serviceName: String
  /// The method name as sent on the wire.
  public var name: String
  /// Oneway methods get no reply.
  public var isOneway: Bool

  @inlinable
  public init(serviceName: String, name: String, isOneway: Bool = false) {
    self.serviceName = serviceName
    self.name = name
    self.isOneway = isOneway
  }
}

/// The result struct of a method: the return value in field 0 and the declared exceptions
/// in their own fields.
public protocol ThriftMethodResult: ThriftStruct, OutcomeReporting {
  /// What the method returns (`Void` for `void` methods).
  associatedtype Success: Sendable

  /// A result holding a successful return value.
  init(success: Success)
  /// A result holding `error` if it is one of the method's declared exceptions, else nil.
  init?(declaredError error: any Error)
  /// The return value; throws the declared exception the result holds, or a
  /// `TApplicationException(.missingResult)` if it holds nothing.
  func get() throws -> Success
}

/// The (never transmitted) result of a oneway method.
public struct ThriftOnewayResult: ThriftMethodResult {
  public init() {}
  public init(success: Void) {}
  public init?(declaredError error: any Error) { nil }
  public func get() throws {}

  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    try reader.skip(.struct)
  }

  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    let scope = writer.writeStructBegin()
    writer.writeFieldStop()
    writer.writeStructEnd(scope)
  }
}

extension ThriftMethodResult {
  /// A declared exception is a business answer (``CallOutcome/declaredError``); a result
  /// holding nothing is a failure.
  public var outcome: CallOutcome {
    do {
      _ = try get()
      return .success
    } catch {
      return CallOutcome(error: error)
    }
  }
}
