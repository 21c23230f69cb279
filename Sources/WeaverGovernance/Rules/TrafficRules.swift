import WeaverCore

/// Limits on calls: the server's token bucket and concurrency per method, the client's
/// concurrency per target service.
public struct LimitRules: Sendable, Hashable {
  /// Calls per second the server accepts for the method; nil: no limit.
  public var serverQPS: Double? = nil
  /// Calls the bucket may let through at once (defaults to one second's worth).
  public var serverBurst: Int? = nil
  /// Calls the server runs at once for the method; nil: no limit.
  public var serverMaxInFlight: Int? = nil
  /// Calls a client has in flight to the service at once; nil: no limit.
  public var clientMaxInFlight: Int? = nil

  public init() {}
}

/// How an instance is picked among the candidates routing left.
public struct LoadBalancerRules: Sendable, Hashable {
  public enum Policy: String, Sendable, Hashable, CaseIterable {
    /// nginx's smooth weighted round robin.
    case weightedRoundRobin
    /// Two random candidates, the one with the lower peak-EWMA latency × load.
    case p2cPeakEWMA
    /// A hash ring keyed by a request attribute, with bounded load.
    case consistentHash
  }

  public var policy: Policy = .weightedRoundRobin
  /// consistentHash: the metadata key whose value is hashed.
  public var hashKey: String? = nil
  /// consistentHash: an instance takes at most this × the average load.
  public var boundedLoadFactor: Double = 1.25
  /// p2cPeakEWMA: how fast old latencies fade.
  public var ewmaDecay: Duration = .seconds(10)

  public init() {}
}

/// Which instances a call may go to: release tag, region affinity, protection threshold.
public struct RoutingRules: Sendable, Hashable {
  /// Where a tagged request goes when no healthy instance carries its tag.
  public enum TagFallback: Hashable, Sendable {
    /// Instances without a release tag.
    case untagged
    /// Instances with this tag (`stable`, say).
    case tag(String)
    /// Any instance.
    case any
    /// Nowhere: the call fails with `unavailable`.
    case fail
  }

  /// Release-tag routing on or off.
  public var releaseTagEnabled: Bool = true
  /// The persistent metadata key that carries the tag (`RPC_PERSIST_release` on the wire).
  public var releaseTagKey: String = "release"
  /// The instance label that names an instance's tag.
  public var releaseTagLabel: String = "release"
  public var tagFallback: TagFallback = .untagged
  /// Untagged requests avoid tagged instances (a canary takes only coloured traffic).
  public var untaggedAvoidTagged: Bool = true
  /// Region affinity on or off: prefer the caller's zone, then region, then everything.
  public var regionAffinity: Bool = false
  /// Stay in a locality only while this share of its instances is healthy (percent).
  public var regionMinHealthyPercent: Double = 50
  /// When fewer than this share of the candidates are healthy, use them all (percent;
  /// 0: off).
  public var protectionThreshold: Double = 0

  public init() {}
}
