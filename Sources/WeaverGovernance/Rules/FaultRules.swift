import WeaverCore

/// Injected faults for testing resilience: a delay, an abort, or both, each with its own
/// probability, optionally only for some callers or release tags.
public struct FaultRule: Sendable, Hashable {
  /// Only calls carrying this release tag (nil: any).
  public var releaseTag: String? = nil
  /// Only calls from this caller service (nil: any).
  public var caller: String? = nil
  public var delay: Duration? = nil
  /// Percent of matching calls delayed.
  public var delayPercent: Double = 100
  public var abort: RPCError.Code? = nil
  /// Percent of matching calls aborted.
  public var abortPercent: Double = 100

  public init() {}
}

/// A switch that turns a method's calls away on purpose (load shedding by hand).
public struct DegradeRules: Sendable, Hashable {
  public enum Mode: String, Sendable, Hashable, CaseIterable {
    /// Calls run normally.
    case off
    /// Calls fail at once with `degraded`.
    case failFast
    /// Calls return the fallback registered under ``fallback`` (see `Fallbacks`).
    case fallback
  }

  public var mode: Mode = .off
  /// The name of a fallback registered in code.
  public var fallback: String? = nil
  /// Said in the `degraded` error.
  public var message: String = "degraded by rule"

  public init() {}
}
