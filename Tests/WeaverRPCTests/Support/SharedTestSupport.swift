// Every test file here sees the shared test helpers (eventually, ExternalTool, …).
@_exported import WeaverTestSupport
import WeaverRPC

extension ThriftClientConfiguration {
  /// The defaults with a generous connect timeout: a loopback connect at the busy start of
  /// the suite on two cores has taken over the default 1 s, and these tests are not about
  /// connecting.
  static var forTests: ThriftClientConfiguration { ThriftClientConfiguration(connectTimeout: .seconds(10)) }
}
