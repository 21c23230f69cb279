import GRPCCore
import GRPCNIOTransportHTTP2
import WeaverCore
import WeaverDiscovery

extension ResolvableTargets {
  /// A service found through CloudWeaver discovery (the control plane, a file, a fixed
  /// list), for a plain grpc-swift client that balances with grpc-swift's own policies.
  ///
  /// ```swift
  /// var resolvers = NameResolverRegistry.defaults
  /// resolvers.registerFactory(NameResolvers.Discovery())
  /// let transport = try HTTP2ClientTransport.Posix(
  ///   target: ResolvableTargets.Discovery(resolver), transportSecurity: .plaintext, resolverRegistry: resolvers,
  ///   serviceConfig: ServiceConfig(loadBalancingConfig: [.roundRobin]))
  /// ```
  ///
  /// Use ``GovernedGRPCTransport`` instead for CloudWeaver's routing, load balancers and
  /// breakers: grpc-swift's balancer cannot see release tags or rules.
  public struct Discovery: ResolvableTarget, Sendable {
    public let resolver: any InstanceResolver

    public init(_ resolver: any InstanceResolver) {
      self.resolver = resolver
    }
  }
}

extension NameResolvers {
  /// Resolves ``ResolvableTargets/Discovery`` targets: every instance set discovery
  /// publishes becomes grpc-swift endpoints (push updates).
  public struct Discovery: NameResolverFactory, Sendable {
    public typealias Target = ResolvableTargets.Discovery

    public init() {}

    public func resolver(for target: Target) -> NameResolver {
      let names = target.resolver.updates().map { instances in
        NameResolutionResult(endpoints: instances.compactMap(Self.endpoint), serviceConfig: nil)
      }
      return NameResolver(names: RPCAsyncSequence(wrapping: names), updateMode: .push)
    }

    /// The endpoint of an instance whose host is an IP address (grpc-swift's endpoints
    /// are socket addresses; `localhost` is taken as 127.0.0.1).
    static func endpoint(_ instance: Instance) -> Endpoint? {
      let host = instance.host == "localhost" ? "127.0.0.1" : instance.host
      if IPv4Literal.isIPv4(host) { return Endpoint(addresses: [.ipv4(host: host, port: instance.port)]) }
      if host.contains(":") { return Endpoint(addresses: [.ipv6(host: host, port: instance.port)]) }
      return nil
    }
  }
}
