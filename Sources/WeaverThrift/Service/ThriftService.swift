/// A service ready to serve: its IDL name and the methods of one implementation. Generated
/// code makes these (`Calculator.service(MyCalculator())`); servers route by the name.
public struct ThriftService: Sendable {
  /// The IDL service name, as clients send it (Kitex `isn`, Apache multiplexing prefix).
  public let name: String
  public let methods: [ThriftServerMethod]

  public init(name: String, methods: [ThriftServerMethod]) {
    self.name = name
    self.methods = methods
  }
}
