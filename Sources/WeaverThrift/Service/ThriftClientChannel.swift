/// What generated clients call through: something that sends a method's arguments and
/// returns its result. The RPC runtime's client implements it over sockets;
/// ``ThriftInProcessChannel`` implements it in memory for tests.
///
/// ```swift
/// let calculator = Calculator.Client(channel: channel)
/// let sum = try await calculator.add(num1: 1, num2: 2)
/// ```
public protocol ThriftClientChannel: Sendable {
  /// Sends a call and waits for its result struct.
  func call<Args, Result>(_ method: ThriftMethodDescriptor<Args, Result>, _ args: Args) async throws -> Result
  /// Sends a oneway call; returns once it is sent.
  func callOneway<Args>(_ method: ThriftMethodDescriptor<Args, ThriftOnewayResult>, _ args: Args) async throws
}
