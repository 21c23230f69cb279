import WeaverControlPlaneModels

/// One service's registry state at one revision.
struct RegistrySnapshot {
  var service: String
  var index: Int64
  var instances: [InstanceRecord] = []
  var healthy: Set<String> = []
  var isolated: Set<String> = []
  var settings = ServiceSettings()
}

/// Which instances a query wants.
public struct InstanceFilter: Sendable, Hashable {
  /// Healthy instances only (unless the protection threshold applies), never isolated ones.
  public var healthyOnly: Bool
  /// Only instances with this release tag.
  public var releaseTag: String?
  /// Only instances in this region.
  public var region: String?

  public init(healthyOnly: Bool = false, releaseTag: String? = nil, region: String? = nil) {
    self.healthyOnly = healthyOnly
    self.releaseTag = releaseTag
    self.region = region
  }

  /// The answer to this query from `snapshot`: health marked, filters applied, and the
  /// protection threshold (Nacos): when the healthy share of the service falls below it,
  /// every instance is returned, so a sick cluster is not squeezed onto a healthy few.
  func apply(to snapshot: RegistrySnapshot) -> ServiceInstances {
    var instances = snapshot.instances.map { instance -> InstanceRecord in
      var marked = instance
      marked.healthy = snapshot.healthy.contains(instance.id)
      marked.isolated = snapshot.isolated.contains(instance.id)
      return marked
    }
    let healthyCount = instances.count(where: \.healthy)
    let threshold = snapshot.settings.protectionThreshold ?? 0
    let protect = !instances.isEmpty && threshold > 0 && Double(healthyCount) / Double(instances.count) < threshold
    if let releaseTag { instances.removeAll { $0.releaseTag != releaseTag } }
    if let region { instances.removeAll { $0.region != region } }
    if healthyOnly && !protect { instances.removeAll { !$0.healthy } }
    // An operator's isolation holds even when protection returns the unhealthy.
    if healthyOnly { instances.removeAll(where: \.isolated) }
    instances.sort { ($0.id) < ($1.id) }
    return ServiceInstances(service: snapshot.service, index: snapshot.index, instances: instances, protectionApplied: protect)
  }
}
