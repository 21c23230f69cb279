import CoreMetrics
import ServiceLifecycle
import Synchronization

/// Transport metrics' names and help, the one catalogue the Prometheus exposition and
/// docs/observability.md use. Dimension: `endpoint` (the name a server or client was
/// watched under: bounded by the process's own servers and clients).
public enum TransportMetricNames {
  public static let serverBytesReceived = "weaver_rpc_server_bytes_received_total"
  public static let serverBytesSent = "weaver_rpc_server_bytes_sent_total"
  public static let serverConnections = "weaver_rpc_server_connections"
  public static let serverConnectionsOpened = "weaver_rpc_server_connections_opened_total"
  public static let serverConnectionsRefused = "weaver_rpc_server_connections_refused_total"
  public static let clientBytesReceived = "weaver_rpc_client_bytes_received_total"
  public static let clientBytesSent = "weaver_rpc_client_bytes_sent_total"
  public static let clientConnections = "weaver_rpc_client_connections"
  public static let clientConnectionsOpened = "weaver_rpc_client_connections_opened_total"
  public static let clientConnectFailures = "weaver_rpc_client_connect_failures_total"
  public static let clientPoolWaits = "weaver_rpc_client_pool_waits_total"

  /// Help text for each.
  public static let help: [String: String] = [
    serverBytesReceived: "Thrift frame bytes read by a server's connections (before TLS), by endpoint.",
    serverBytesSent: "Thrift frame bytes written by a server's connections (before TLS), by endpoint.",
    serverConnections: "Open server connections, by endpoint.",
    serverConnectionsOpened: "Server connections accepted, by endpoint.",
    serverConnectionsRefused: "Server connections refused over the connection limit, by endpoint.",
    clientBytesReceived: "Thrift frame bytes read by a client's connections (before TLS), by endpoint.",
    clientBytesSent: "Thrift frame bytes written by a client's connections (before TLS), by endpoint.",
    clientConnections: "Open client connections, by endpoint.",
    clientConnectionsOpened: "Client connections established, by endpoint.",
    clientConnectFailures: "Client connects that failed, by endpoint.",
    clientPoolWaits: "Calls that waited for a pooled connection to have room, by endpoint.",
  ]
}

/// Reports the transport figures of the servers and clients it watches through
/// swift-metrics: counters for bytes, connections opened and refused and pool waits,
/// gauges for open connections. The figures are counted on the connections as they happen
/// (``TransportStatistics``); this turns them into metrics every `interval` and whenever
/// ``report()`` is called (an admin endpoint calls it before each scrape), so the call path
/// pays for no metric handle.
///
/// ```swift
/// let transport = TransportMetricsReporter()
/// transport.watch(server, as: "feed")
/// try await ServiceGroup(services: [transport, server], logger: logger).run()
/// ```
public final class TransportMetricsReporter: Service, Sendable {
  private let factory: any MetricsFactory
  private let interval: Duration
  private let watched = Mutex<[Watched]>([])

  private struct Watched {
    var statistics: TransportStatistics
    var openConnections: @Sendable () -> Int
    var handles: Handles
    /// The counts last reported: counters go up by the difference.
    var reported = TransportStatistics.Counts(bytesReceived: 0, bytesSent: 0, connectionsOpened: 0, connectionsRefused: 0, poolWaits: 0)
  }

  /// One endpoint's metric handles, made once when it is watched.
  private struct Handles {
    var bytesReceived, bytesSent, connectionsOpened, connectionsRefused: Counter
    var poolWaits: Counter?
    var connections: Gauge

    init(server: Bool, name: String, factory: any MetricsFactory) {
      let dimensions = [("endpoint", name)]
      func counter(_ label: String) -> Counter { Counter(label: label, dimensions: dimensions, factory: factory) }
      typealias Names = TransportMetricNames
      bytesReceived = counter(server ? Names.serverBytesReceived : Names.clientBytesReceived)
      bytesSent = counter(server ? Names.serverBytesSent : Names.clientBytesSent)
      connectionsOpened = counter(server ? Names.serverConnectionsOpened : Names.clientConnectionsOpened)
      connectionsRefused = counter(server ? Names.serverConnectionsRefused : Names.clientConnectFailures)
      poolWaits = server ? nil : counter(Names.clientPoolWaits)
      connections = Gauge(label: server ? Names.serverConnections : Names.clientConnections, dimensions: dimensions, factory: factory)
    }
  }

  /// Reports through `factory` (default: `MetricsSystem`'s) every `interval`.
  public init(factory: (any MetricsFactory)? = nil, interval: Duration = .seconds(5)) {
    self.factory = factory ?? MetricsSystem.factory
    self.interval = interval
  }

  /// Watches `server` under the name `name` (the metrics' `endpoint`).
  public func watch(_ server: ThriftServer, as name: String) {
    let handles = Handles(server: true, name: name, factory: factory)
    watched.withLock {
      $0.append(Watched(statistics: server.transportStatistics, openConnections: { server.openConnections }, handles: handles))
    }
  }

  /// Watches `client` under the name `name` (the metrics' `endpoint`: the service it calls, say).
  public func watch(_ client: ThriftClient, as name: String) {
    let handles = Handles(server: false, name: name, factory: factory)
    watched.withLock {
      $0.append(Watched(statistics: client.transportStatistics, openConnections: { client.connectionCount }, handles: handles))
    }
  }

  /// Reports every watched figure now.
  public func report() {
    let changes = watched.withLock { watched -> [(Watched, TransportStatistics.Counts)] in
      var changes: [(Watched, TransportStatistics.Counts)] = []
      for index in watched.indices {
        let counts = watched[index].statistics.counts
        changes.append((watched[index], counts))
        watched[index].reported = counts
      }
      return changes
    }
    for (item, counts) in changes {
      let before = item.reported, handles = item.handles
      handles.bytesReceived.increment(by: counts.bytesReceived - before.bytesReceived)
      handles.bytesSent.increment(by: counts.bytesSent - before.bytesSent)
      handles.connectionsOpened.increment(by: counts.connectionsOpened - before.connectionsOpened)
      handles.connectionsRefused.increment(by: counts.connectionsRefused - before.connectionsRefused)
      handles.poolWaits?.increment(by: counts.poolWaits - before.poolWaits)
      handles.connections.record(item.openConnections())
    }
  }

  /// Reports every `interval` until shut down, and once more then.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        self.report()
        try? await Task.sleep(for: self.interval)
      }
    }
    report()
  }
}
