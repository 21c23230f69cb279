import WeaverCore
import WeaverGovernance
import WeaverRPC
import WeaverThrift

/// What one `weaver bench thrift` run does: whom it calls, how, and how hard.
public struct ThriftBenchPlan: Sendable {
  /// `host:port` of the echo server.
  public var target: String
  public var transport: ThriftTransport
  public var `protocol`: ThriftProtocolID
  /// Connections opened to the target.
  public var connections: Int
  /// Calls in flight at most (one worker task each).
  public var concurrency: Int
  /// Calls started per second; nil runs a closed loop (each worker calls again as soon as
  /// its previous call returns).
  public var rate: Int?
  /// How long calls are measured, after the warm-up.
  public var duration: Duration
  /// How long calls run before measuring starts (connections open, caches warm).
  public var warmup: Duration
  /// Bytes in each echoed message.
  public var payload: Int
  /// Per-call deadline.
  public var timeout: Duration
  /// Governance rules (YAML) the client applies, as `ClientGovernor` does; nil: none.
  public var rules: RuleDocument?
  /// Persistent metadata every call carries (a release tag, a trace context).
  public var metadata: [String: String] = [:]
  /// Middleware every call runs through (tracing and metrics, to measure what they cost).
  public var middlewares: [any ClientMiddleware] = []

  /// The servers: `target` may list several, comma-separated.
  public var targets: [String] { target.split(separator: ",").map { String($0.filter { $0 != " " }) } }

  public init(
    target: String, transport: ThriftTransport = .ttheader, protocol: ThriftProtocolID = .binary,
    connections: Int = 2, concurrency: Int = 32, rate: Int? = nil, duration: Duration = .seconds(10),
    warmup: Duration = .seconds(1), payload: Int = 128, timeout: Duration = .seconds(5)
  ) {
    self.target = target
    self.transport = transport
    self.protocol = `protocol`
    self.connections = connections
    self.concurrency = concurrency
    self.rate = rate
    self.duration = duration
    self.warmup = warmup
    self.payload = payload
    self.timeout = timeout
  }

  /// Checks the numbers make sense; the message says which does not.
  public func validate() throws(ThriftBenchError) {
    guard connections >= 1 else { throw ThriftBenchError("--connections must be at least 1") }
    guard concurrency >= 1 else { throw ThriftBenchError("--concurrency must be at least 1") }
    if let rate, rate < 1 { throw ThriftBenchError("--rate must be at least 1 call per second") }
    guard duration > .zero else { throw ThriftBenchError("--duration must be positive") }
    guard warmup >= .zero else { throw ThriftBenchError("--warmup cannot be negative") }
    guard payload >= 0 else { throw ThriftBenchError("--payload cannot be negative") }
    guard timeout > .zero else { throw ThriftBenchError("--timeout must be positive") }
    for target in targets where Instance(address: target) == nil {
      throw ThriftBenchError("--target must be host:port (or several, comma-separated), not '\(target)'")
    }
  }

  /// The plan's rules, in a store for `service` (nil without rules).
  public func ruleStore(service: String) throws(ThriftBenchError) -> RuleStore? {
    guard let rules else { return nil }
    let store = RuleStore(service: service)
    do {
      _ = try store.set(rules, layer: .file)
    } catch {
      throw ThriftBenchError("the rules do not apply: \(error)")
    }
    return store
  }

  /// The client configuration this plan calls with (connection counts are set per lane).
  var clientConfiguration: ThriftClientConfiguration {
    var configuration = ThriftClientConfiguration(transport: transport, protocol: `protocol`)
    configuration.rpcTimeout = timeout
    configuration.connectTimeout = min(timeout, .seconds(2))
    configuration.defaultMetadata = Metadata(persistent: metadata)
    configuration.middlewares = middlewares
    return configuration
  }
}

/// A benchmark that cannot run as asked.
public struct ThriftBenchError: Error, Hashable, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) {
    self.description = description
  }
}

