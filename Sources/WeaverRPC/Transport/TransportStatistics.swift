import Synchronization

/// What one server's or client's connections moved and did, counted as it happens (relaxed
/// atomics: a few nanoseconds a frame) and read by ``TransportMetricsReporter`` and the
/// admin endpoint's snapshot. Bytes are Thrift frames' bytes, before TLS.
public final class TransportStatistics: Sendable {
  let bytesReceived = Atomic<Int>(0)
  let bytesSent = Atomic<Int>(0)
  let connectionsOpened = Atomic<Int>(0)
  let connectionsRefused = Atomic<Int>(0)
  let poolWaits = Atomic<Int>(0)

  public init() {}

  /// The counts so far.
  public struct Counts: Sendable, Equatable, Codable {
    /// Frame bytes read and written.
    public var bytesReceived: Int
    public var bytesSent: Int
    /// Connections accepted (server) or established (client).
    public var connectionsOpened: Int
    /// Connections refused over the server's limit; connects that failed (client).
    public var connectionsRefused: Int
    /// Calls that waited for a pooled connection to have room (client).
    public var poolWaits: Int
  }

  public var counts: Counts {
    Counts(
      bytesReceived: bytesReceived.load(ordering: .relaxed), bytesSent: bytesSent.load(ordering: .relaxed),
      connectionsOpened: connectionsOpened.load(ordering: .relaxed),
      connectionsRefused: connectionsRefused.load(ordering: .relaxed), poolWaits: poolWaits.load(ordering: .relaxed))
  }

  func received(_ bytes: Int) { bytesReceived.wrappingAdd(bytes, ordering: .relaxed) }
  func sent(_ bytes: Int) { bytesSent.wrappingAdd(bytes, ordering: .relaxed) }
  func opened() { connectionsOpened.wrappingAdd(1, ordering: .relaxed) }
  func refused() { connectionsRefused.wrappingAdd(1, ordering: .relaxed) }
  func waited() { poolWaits.wrappingAdd(1, ordering: .relaxed) }
}
