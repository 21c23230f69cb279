import NIOCore
import NIOPosix
import WeaverCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``ThriftServer`` could not start serving.
public struct ThriftServerError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Code: Hashable, Sendable {
    /// Another socket already listens on the address.
    case addressInUse
    /// The port is not in 0...65535 (0 picks a free one).
    case invalidPort
    /// Binding failed for another reason (the message says which).
    case bindFailed
  }

  public var code: Code
  /// `host:port` the server tried to listen on.
  public var address: String
  public var message: String

  public init(_ code: Code, address: String, _ message: String) {
    self.code = code
    self.address = address
    self.message = message
  }

  public var description: String { "cannot listen on \(address): \(message)" }

  /// The error for a failed bind of `host:port`.
  static func bindFailure(_ error: any Error, host: String, port: Int) -> ThriftServerError {
    let address = Instance.format(host: host, port: port)
    if let error = error as? IOError, error.errnoCode == EADDRINUSE {
      return ThriftServerError(.addressInUse, address: address, "the address is already in use by another process")
    }
    return ThriftServerError(.bindFailed, address: address, "\(error)")
  }
}

extension SocketAddress {
  /// `host:port` (`[v6]:port` for IPv6), as people write addresses.
  public var hostAndPort: String {
    Instance.format(host: ipAddress ?? "?", port: port ?? 0)
  }
}
