import WeaverCore

/// What routing needs to know about a call: its release tag and where the caller runs.
public struct RouteRequest: Sendable, Hashable {
  /// The call's release tag (the `releaseTagKey` persistent metadata); nil: untagged.
  public var releaseTag: String?
  /// The caller's region.
  public var region: String?
  /// The caller's zone.
  public var zone: String?

  public init(releaseTag: String? = nil, region: String? = nil, zone: String? = nil) {
    self.releaseTag = releaseTag
    self.region = region
    self.zone = zone
  }
}

/// Where routing lets a call go, and why.
public struct RouteDecision: Sendable, Hashable {
  /// The instances the load balancer may pick from; empty: the call fails `unavailable`.
  public var candidates: [Instance]
  /// Short reasons, one per routing step that applied, in order.
  public var steps: [String]
  /// The protection threshold applied: the candidates include unhealthy instances on
  /// purpose, so their breakers must not turn the call away.
  public var protectionApplied: Bool

  public init(candidates: [Instance], steps: [String], protectionApplied: Bool = false) {
    self.candidates = candidates
    self.steps = steps
    self.protectionApplied = protectionApplied
  }
}
