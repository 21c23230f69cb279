import NIOCore

/// One method a server can run: it decodes the arguments, calls the handler, and hands back
/// the result struct to encode. Generated code builds these from a user's implementation of
/// a service protocol (`Calculator.serverMethods(for: handler)`).
public struct ThriftServerMethod: Sendable {
  public let serviceName: String
  public let name: String
  public let isOneway: Bool
  @usableFromInline
  let run: @Sendable (_ arguments: ByteBuffer, _ protocol: ThriftProtocolID, _ limits: ThriftLimits) async throws -> any ThriftStruct

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
        return try await handler(args)
      } catch {
        guard let declared = Result(declaredError: error) else { throw error }
        return declared
      }
    }
  }

  /// Decodes the arguments and runs the handler; returns the result struct to send back.
  /// Throws ``ThriftProtocolError`` if the arguments do not decode, or whatever undeclared
  /// error the handler throws.
  public func invoke(arguments: ByteBuffer, protocol: ThriftProtocolID, limits: ThriftLimits = .default) async throws -> any ThriftStruct {
    try await run(arguments, `protocol`, limits)
  }
}
