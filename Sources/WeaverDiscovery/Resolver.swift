import WeaverCore

/// Where a client learns which instances of a service exist. The RPC client asks for
/// updates and balances over the latest set; discovery backends (the control plane, a
/// file, DNS) implement it.
public protocol InstanceResolver: Sendable {
  /// The instance sets, the current one first, then one per change, until the consumer
  /// stops iterating.
  func updates() -> AsyncThrowingStream<[Instance], any Error>
}

/// A fixed list of instances.
public struct StaticResolver: InstanceResolver {
  public let instances: [Instance]

  public init(_ instances: [Instance]) {
    self.instances = instances
  }

  /// From `host:port` strings; fails on the first that does not parse.
  public init(addresses: [String]) throws {
    self.instances = try addresses.map { address in
      guard let instance = Instance(address: address) else { throw ResolverError("not a host:port address: '\(address)'") }
      return instance
    }
  }

  public func updates() -> AsyncThrowingStream<[Instance], any Error> {
    AsyncThrowingStream { continuation in
      continuation.yield(instances)
      continuation.finish()
    }
  }
}

/// A resolver's configuration or lookup failed.
public struct ResolverError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
