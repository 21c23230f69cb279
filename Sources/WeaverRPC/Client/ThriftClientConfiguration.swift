import NIOCore
import WeaverCore
import WeaverThrift

/// How a ``ThriftClient`` talks to a service.
public struct ThriftClientConfiguration: Sendable {
  /// The transport. TTHeader (Kitex's default) multiplexes calls over few connections and
  /// carries metadata and deadlines; use `.framed` for Apache Thrift servers, `.theader`
  /// for Apache/fbthrift THeader servers.
  public var transport: ThriftTransport
  public var `protocol`: ThriftProtocolID
  /// How long to wait for a connection (default 1 s). The timer runs on the client's event
  /// loop, which runs every task it has before it looks at its sockets again: a loop kept
  /// busy for longer than this (a server in the same process running calls on it, say)
  /// fails a connect the peer had answered. Give such processes more.
  public var connectTimeout: Duration
  /// How long a call may take; nil for no limit. A call made while serving a call never
  /// outlives that call's deadline either. Per call: `CallContext.with(deadline:)`.
  public var rpcTimeout: Duration?
  /// Connections kept per instance. With TTHeader and THeader calls share connections;
  /// with Framed and unframed transports each call has a connection to itself, so this is
  /// also the most calls in flight per instance (more wait).
  public var maxConnectionsPerInstance: Int
  /// With TTHeader and THeader, a new connection is opened (up to the maximum) once every
  /// open one carries this many calls.
  public var maxConcurrentCallsPerConnection: Int
  /// Connections idle this long are closed (down to ``minIdleConnectionsPerInstance``).
  public var idleTimeout: Duration
  /// Connections per instance that stay open however long they are idle, once opened.
  public var minIdleConnectionsPerInstance = 0
  /// Framed and unframed: connections per instance kept open between calls; a connection
  /// released while this many are idle is closed. Nil: up to ``maxConnectionsPerInstance``.
  public var maxIdleConnectionsPerInstance: Int?
  public var maxFrameSize: Int
  public var protocolLimits: ThriftLimits
  public var tls: ThriftTLSConfiguration?
  /// This service's name, sent to servers (TTHeader `FromService`).
  public var callerName: String?
  /// Send `Service:method` message names (Apache `TMultiplexedProtocol`), for Framed or
  /// unframed servers hosting several services. (TTHeader names the service in a header.)
  public var multiplexedMessageNames: Bool
  /// Wraps every call, first to last.
  public var middlewares: [any ClientMiddleware]
  /// Metadata every call of this client sends; the calling context's keys win over these.
  public var defaultMetadata = Metadata()
  /// How long to wait before connecting to an instance again after a connect failed; calls
  /// that would need a new connection meanwhile fail at once with the connect error.
  public var reconnectBackoff = ReconnectBackoff()

  public init(
    transport: ThriftTransport = .ttheader, protocol: ThriftProtocolID = .binary, connectTimeout: Duration = .seconds(1),
    rpcTimeout: Duration? = .seconds(5), maxConnectionsPerInstance: Int = 8, maxConcurrentCallsPerConnection: Int = 128,
    idleTimeout: Duration = .seconds(60), maxFrameSize: Int = 16 << 20, protocolLimits: ThriftLimits = .default,
    tls: ThriftTLSConfiguration? = nil, callerName: String? = nil, multiplexedMessageNames: Bool = false,
    middlewares: [any ClientMiddleware] = []
  ) {
    self.transport = transport
    self.protocol = `protocol`
    self.connectTimeout = connectTimeout
    self.rpcTimeout = rpcTimeout
    self.maxConnectionsPerInstance = maxConnectionsPerInstance
    self.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection
    self.idleTimeout = idleTimeout
    self.maxFrameSize = maxFrameSize
    self.protocolLimits = protocolLimits
    self.tls = tls
    self.callerName = callerName
    self.multiplexedMessageNames = multiplexedMessageNames
    self.middlewares = middlewares
  }
}
