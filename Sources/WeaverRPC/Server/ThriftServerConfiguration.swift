import NIOCore
import NIOSSL
import WeaverCore
import WeaverThrift

/// How a ``ThriftServer`` listens and what it tolerates.
public struct ThriftServerConfiguration: Sendable {
  /// Bounds that protect the server from its clients.
  public struct Limits: Sendable {
    /// Connections beyond this are closed as soon as they are accepted.
    public var maxConnections = 10_000
    /// Frames (and unframed messages) over this size close the connection.
    public var maxFrameSize = 16 << 20
    /// Calls one connection may have in flight; more are refused as overloaded.
    public var maxConcurrentRequestsPerConnection = 1_000
    /// Calls the whole server may have in flight; more are refused as overloaded.
    public var maxConcurrentRequests = 10_000
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: Duration = .seconds(300)
    /// A frame left half-received for this long closes its connection (slowloris).
    public var partialFrameTimeout: Duration = .seconds(10)
    /// Limits for decoding messages.
    public var protocolLimits = ThriftLimits.default
    /// Replies waiting to be sent on one connection above this stop the server reading
    /// from it (a client that sends without reading its replies gets no further); below
    /// ``outboundLowWaterMark`` reading resumes.
    public var outboundHighWaterMark = 1 << 20
    public var outboundLowWaterMark = 256 << 10
    /// Reply bytes one connection may have queued at most (calls already running when
    /// reading stopped still answer); beyond this the connection is closed.
    public var maxQueuedReplyBytes = 32 << 20
    /// Framed and unframed: request bytes read ahead and waiting for their turn; reading
    /// pauses above this.
    public var maxQueuedRequestBytes = 4 << 20
    /// A connection whose peer reads none of its replies for this long is closed.
    public var writeStallTimeout: Duration = .seconds(30)

    public init() {}
  }

  /// The address to bind (loopback by default).
  public var host: String
  /// The port; 0 picks a free one (see ``ThriftServer/localAddress``).
  public var port: Int
  public var limits: Limits
  /// How long a graceful shutdown waits for calls in flight before closing connections.
  public var drainTimeout: Duration
  /// After a draining connection's last reply the server stops sending and reads (and
  /// discards) what the client still sends, until the client closes or this passes: closing
  /// at once would answer requests already on their way with a reset, which can destroy
  /// replies the client has not read yet.
  public var closeLinger: Duration = .seconds(1)
  /// TLS, or nil for plain TCP.
  public var tls: ThriftTLSConfiguration?
  /// Wraps every call, first to last.
  public var middlewares: [any ServerMiddleware]

  public init(
    host: String = "127.0.0.1", port: Int = 0, limits: Limits = Limits(), drainTimeout: Duration = .seconds(10),
    tls: ThriftTLSConfiguration? = nil, middlewares: [any ServerMiddleware] = []
  ) {
    self.host = host
    self.port = port
    self.limits = limits
    self.drainTimeout = drainTimeout
    self.tls = tls
    self.middlewares = middlewares
  }
}

extension Duration {
  /// The duration as a NIO `TimeAmount`.
  var timeAmount: TimeAmount {
    let (seconds, attoseconds) = components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}
