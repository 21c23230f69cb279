import NIOCore

/// One method a server can run: it decodes the arguments, calls the handler, and hands back
/// the result struct to encode. Generated code builds these from a user's implementation of
/// a service protocol (`Calculator.serverMethods(for: handler)`).
public struct ThriftServerMethod: Sendable {
  public let serviceName: String
  public let name: String
  public let isOneway: Bool
  @usableFromInline
  let run: @Sendable (_ arguments: ByteBuffer, _ protocol: ThriftProtocolID, _ limits: ThriftLimits) async throws -> ThriftMethodOutput

  /// A request-response method. Errors the handler throws that are declared exceptions
  /// become the result; other errors propagate (the server turns them into a
  /// `TApplicationException`).
  @inlinable
  public init<Args, Result>(
    _ method: ThriftMethodDescriptor<Args, Result>, handler: @escaping @Sendable (Args) async throws -> Result
  ) {
    self.serviceName = method.serviceName
    self.name = method.name
    self.isOneway = method.isOneway
    self.run = { arguments, `protocol`, limits in
      var arguments = arguments
      let args = try `protocol`.decode(Args.self, from: &arguments, limits: limits)
      do {
        return ThriftMethodOutput(result: try await handler(args), isDeclaredException: false)
      } catch {
        guard let declared = Result(declaredError: error) else { throw error }
        return ThriftMethodOutput(result: declared, isDeclaredException: true)
      }
    }
  }

  /// Decodes the arguments and runs the handler; returns the result struct to send back.
  /// Throws ``ThriftProtocolError`` if the arguments do not decode, or whatever undeclared
  /// error the handler throws.
  public func invoke(arguments: ByteBuffer, protocol: ThriftProtocolID, limits: ThriftLimits = .default) async throws -> any ThriftStruct {
    try await run(arguments, `protocol`, limits).result
  }

  /// Like ``invoke(arguments:protocol:limits:)``, and says whether the result holds one of
  /// the method's declared exceptions.
  public func run(arguments: ByteBuffer, protocol: ThriftProtocolID, limits: ThriftLimits = .default) async throws -> ThriftMethodOutput {
    try await run(arguments, `protocol`, limits)
  }
}

/// What a method's handler produced: the result struct to send, and whether it carries a
/// declared exception (a business outcome, not a failure of the service).
public struct ThriftMethodOutput: Sendable {
  public var result: any ThriftStruct
  public var isDeclaredException: Bool

  @inlinable
  public init(result: any ThriftStruct, isDeclaredException: Bool) {
    self.result = result
    self.isDeclaredException = isDeclaredException
  }
}
