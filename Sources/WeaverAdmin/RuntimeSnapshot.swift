import WeaverGovernance
import WeaverRPC
import WeaverTelemetry

/// What a process is doing right now — the runtime snapshot `/debug/snapshot` answers
/// (JSON) and `weaver debug snapshot` prints as tables: what a chaos drill records before,
/// during and after a fault, as Go services get from pprof.
public struct RuntimeSnapshot: Codable, Sendable {
  /// When it was taken (ISO 8601, UTC).
  public var takenAt: String
  public var process: ProcessFigures
  /// Each event loop's lag: how long a task submitted to it waited to run (nil: it did not
  /// run within a second, the loop is stalled).
  public var eventLoopLagMilliseconds: [Double?]
  public var servers: [EndpointFigures]
  public var clients: [EndpointFigures]
  /// Every method's calls in flight and recent latency, highest p99 first.
  public var calls: [CallStatistics.Figures]
  /// Circuit breakers that are not closed.
  public var breakers: [BreakerBoard.Entry]
  /// The governance rule sets in force and their versions.
  public var ruleSets: [RuleSetFigures]

  /// The process as the kernel and the allocator see it.
  public struct ProcessFigures: Codable, Sendable {
    public var pid: Int32
    public var uptimeSeconds: Double?
    public var residentBytes: Int?
    /// Bytes the allocator has handed out and not had back (glibc's `mallinfo2`).
    public var heapInUseBytes: Int?
    /// Bytes the allocator holds from the system, in use or free.
    public var heapMappedBytes: Int?
    public var threads: Int?
    public var openFiles: Int?
  }

  /// A server or client: its connections and what they moved.
  public struct EndpointFigures: Codable, Sendable {
    public var name: String
    public var openConnections: Int
    public var transport: TransportStatistics.Counts
  }

  /// One service's rule set: its version counts the rule sets applied since start.
  public struct RuleSetFigures: Codable, Sendable {
    public var service: String
    public var version: UInt64
  }
}
