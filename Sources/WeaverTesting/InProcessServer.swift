import WeaverCore
import WeaverRPC
import WeaverThrift

/// Services served in the test's own process through the real router and server
/// middleware (no sockets): calls are encoded, framed with their metadata, routed, run and
/// decoded as over the network, and a middleware's errors reach the caller as they would
/// on the wire.
///
/// ```swift
/// let server = InProcessServer(services: [Calculator.service(CalculatorHandler())],
///                              middlewares: [ServerGovernor(rules: rules).middleware])
/// let calculator = Calculator.Client(channel: server.channel())
/// #expect(try await calculator.add(1, 2) == 3)
/// ```
public struct InProcessServer: Sendable {
  private let server: ThriftLocalServer

  public init(services: [ThriftService], middlewares: [any ServerMiddleware] = [], limits: ThriftLimits = .default) {
    server = ThriftLocalServer(services: services, middlewares: middlewares, limits: limits)
  }

  /// A channel for generated clients; `callerName` is sent as the caller service.
  public func channel(protocol: ThriftProtocolID = .binary, callerName: String? = nil) -> some ThriftClientChannel {
    server.channel(protocol: `protocol`, callerName: callerName)
  }
}
