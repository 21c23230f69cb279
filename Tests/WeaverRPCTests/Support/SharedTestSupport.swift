// Every test file here sees the shared test helpers (eventually, ExternalTool, …).
@_exported import WeaverTestSupport
import WeaverRPC

extension ThriftClientConfiguration {
  /// The defaults with the suite's generous connect timeout (``Swift/Duration/testConnectTimeout``
  /// says why).
  static var forTests: ThriftClientConfiguration { ThriftClientConfiguration(connectTimeout: .testConnectTimeout) }
}
