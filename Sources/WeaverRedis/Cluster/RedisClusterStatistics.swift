import Synchronization

/// What a cluster client has done over its life, as go-redis's pool stats show it: for
/// dashboards beside the metrics, and for tests.
public final class RedisClusterStatistics: Sendable {
  private let movedCount = Atomic<Int>(0)
  private let askCount = Atomic<Int>(0)
  private let retryCount = Atomic<Int>(0)
  private let refreshCount = Atomic<Int>(0)
  private let openedCount = Atomic<Int>(0)

  /// `MOVED` replies followed.
  public var moved: Int { movedCount.load(ordering: .relaxed) }
  /// `ASK` replies followed.
  public var asked: Int { askCount.load(ordering: .relaxed) }
  /// Commands tried again after a retryable failure.
  public var retries: Int { retryCount.load(ordering: .relaxed) }
  /// Topology reloads that succeeded.
  public var topologyRefreshes: Int { refreshCount.load(ordering: .relaxed) }

  /// Times a node's circuit breaker opened.
  public var circuitsOpened: Int { openedCount.load(ordering: .relaxed) }

  func redirected(_ kind: ClusterRedirect.Kind) {
    switch kind {
    case .moved: movedCount.add(1, ordering: .relaxed)
    case .ask: askCount.add(1, ordering: .relaxed)
    }
  }

  func retried() { retryCount.add(1, ordering: .relaxed) }
  func refreshed() { refreshCount.add(1, ordering: .relaxed) }
  func circuitOpened() { openedCount.add(1, ordering: .relaxed) }
}
