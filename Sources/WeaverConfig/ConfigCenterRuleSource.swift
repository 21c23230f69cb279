import Logging
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverGovernance

/// Governance rules from the config center: the `governance` namespace of the service's
/// app, followed live; each release becomes the rule store's config-center layer (above
/// `service.yaml`). Releases are validated when published, so what arrives applies; a
/// release that still fails here is logged and skipped, and the rules in force stay.
///
/// ```swift
/// let rules = RuleStore(service: "FeedService", sources: [
///   RuleFileWatcher(path: "service.yaml"),
///   ConfigCenterRuleSource(client: controlPlane, service: "FeedService", cacheDirectory: "/var/cache/feed"),
/// ])
/// ```
public struct ConfigCenterRuleSource: RuleSource {
  public let watcher: ConfigWatcher
  public let service: String

  /// Follows `APP/CLUSTER/governance`, where APP is `service` unless given; with an
  /// `identity`, a gray release of the rules that selects this instance applies here.
  public init(
    client: ControlPlaneClient, service: String, app: String? = nil, cluster: String = "default", identity: ConfigClient? = nil,
    cacheDirectory: String? = nil
  ) {
    self.service = service
    self.watcher = ConfigWatcher(
      client: client, app: app ?? service, cluster: cluster, namespace: "governance", identity: identity, cacheDirectory: cacheDirectory)
  }

  public var layer: RuleLayer { .configCenter }
  public var name: String { "config-center:\(watcher.app)/\(watcher.cluster)/governance" }

  public func documents() -> AsyncStream<RuleDocument?> {
    let (stream, continuation) = AsyncStream.makeStream(of: RuleDocument?.self, bufferingPolicy: .bufferingNewest(1))
    let name = self.name
    let logger = watcher.logger
    let yield: @Sendable (ConfigSnapshot) -> Void = { snapshot in
      do {
        continuation.yield(try RuleDocument(parsing: snapshot.content, file: "\(name)#\(snapshot.number)"))
      } catch {
        logger.error("governance release \(snapshot.number) does not parse here; the rules in force stay:\n\(error)")
      }
    }
    // The cached release first (the control plane may be down), then every new one.
    if let cached = watcher.current { yield(cached) }
    watcher.onChange { _, new in yield(new) }
    let follow = Task { await watcher.follow() }
    continuation.onTermination = { _ in follow.cancel() }
    return stream
  }
}
