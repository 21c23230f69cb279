// Every test file here sees the shared test helpers (eventually, ExternalTool, …).
@_exported import WeaverTestSupport
import WeaverRPC

extension ThriftClientConfiguration {
  /// The defaults with a generous connect timeout. The suite's servers and clients share
  /// the process's event loops, and NIO runs all of a loop's due tasks (calls of in-process
  /// servers, timers) before it looks at its sockets again: when both cores are busy a tick
  /// can outlast the default 1 s, and the connect timer fires before the completed connect
  /// is seen. Tests that are not about connecting use 10 s.
  static var forTests: ThriftClientConfiguration { ThriftClientConfiguration(connectTimeout: .seconds(10)) }
}
