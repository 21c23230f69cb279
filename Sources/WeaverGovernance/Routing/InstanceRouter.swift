import WeaverCore

/// Which instances a call may go to, as a pure function of the instances, the request, the
/// rules and each instance's health. Three steps, in order:
///
/// 1. Release tag (``RoutingRules/releaseTagEnabled``): a request tagged T goes to the
///    instances labelled T; if none of them is healthy, to ``RoutingRules/tagFallback``'s
///    instances (`.fail`: none). An untagged request goes to untagged instances when
///    ``RoutingRules/untaggedAvoidTagged`` (to all of them if no untagged one is healthy).
/// 2. Region affinity (``RoutingRules/regionAffinity``, for a caller that names its zone or
///    region): the caller's zone if at least ``RoutingRules/regionMinHealthyPercent`` of
///    its instances (and at least one) are healthy, else the caller's region likewise, else
///    the whole group.
/// 3. Protection threshold: when fewer than ``RoutingRules/protectionThreshold`` percent of
///    the group are healthy, the whole group, healthy or not (Nacos' `protectThreshold`:
///    spread the load rather than crush the few healthy instances); otherwise its healthy
///    instances. When none is healthy (possible only with the threshold at 0), the whole
///    group too: trying an instance believed unhealthy beats failing every call.
public enum InstanceRouter {
  /// Whether ``route(_:request:rules:explain:isHealthy:)`` would keep every instance when
  /// all are healthy: no region affinity, and no instance carries the release-tag label
  /// (`labels`: every label the instances carry) while the call's tag, if any, falls back
  /// to untagged or any instance. Lets a caller skip routing on the common path.
  public static func keepsEveryInstance(_ routing: RoutingRules, request: RouteRequest, labels: Set<String>) -> Bool {
    guard !routing.regionAffinity else { return false }
    guard routing.releaseTagEnabled, labels.contains(routing.releaseTagLabel) || request.releaseTag?.isEmpty == false else { return true }
    guard !labels.contains(routing.releaseTagLabel) else { return false }
    switch routing.tagFallback {
    case .untagged, .any: return true
    case .tag, .fail: return false
    }
  }

  /// The candidates for `request` among `instances`; `isHealthy` is asked once per
  /// instance.
  public static func route(
    _ instances: [Instance], request: RouteRequest, rules: RoutingRules, explain: Bool = true, isHealthy: (Instance) -> Bool
  ) -> RouteDecision {
    var steps = RouteSteps(enabled: explain)
    let all = instances.map { HealthTagged(instance: $0, healthy: isHealthy($0)) }

    guard let tagged = releaseTagGroup(all, request: request, rules: rules, steps: &steps) else {
      return RouteDecision(candidates: [], steps: steps.lines)
    }
    let local = localityGroup(tagged, request: request, rules: rules, steps: &steps)
    let candidates = healthyOrProtected(local, rules: rules, steps: &steps)
    // Unhealthy candidates with a threshold set are there because it applied.
    let protected = rules.protectionThreshold > 0 && candidates.contains { !$0.healthy }
    return RouteDecision(candidates: candidates.map(\.instance), steps: steps.lines, protectionApplied: protected)
  }

  // MARK: Release tag

  /// The group for the request's release tag; nil when the fallback is `.fail`.
  private static func releaseTagGroup(
    _ all: [HealthTagged], request: RouteRequest, rules: RoutingRules, steps: inout RouteSteps
  ) -> [HealthTagged]? {
    guard rules.releaseTagEnabled else { return all }
    let label = rules.releaseTagLabel
    if let tag = request.releaseTag, !tag.isEmpty {
      let group = all.filter { $0.instance.releaseTag(label) == tag }
      if group.contains(where: \.healthy) {
        steps.append("release tag \(tag): \(group.count) of \(all.count) instances")
        return group
      }
      let reason = group.isEmpty ? "tag \(tag) has no instance" : "tag \(tag) has no healthy instance"
      switch rules.tagFallback {
      case .untagged:
        let fallback = all.filter { $0.instance.releaseTag(label) == nil }
        steps.append("\(reason): fallback untagged (\(fallback.count) of \(all.count))")
        return fallback
      case .tag(let other):
        let fallback = all.filter { $0.instance.releaseTag(label) == other }
        steps.append("\(reason): fallback tag \(other) (\(fallback.count) of \(all.count))")
        return fallback
      case .any:
        steps.append("\(reason): fallback any (\(all.count))")
        return all
      case .fail:
        steps.append("\(reason): fail")
        return nil
      }
    }
    guard rules.untaggedAvoidTagged else { return all }
    let untagged = all.filter { $0.instance.releaseTag(label) == nil }
    if untagged.contains(where: \.healthy) {
      steps.append("untagged: \(untagged.count) of \(all.count) instances")
      return untagged
    }
    let reason = untagged.isEmpty ? "no untagged instance" : "no healthy untagged instance"
    steps.append("\(reason): all \(all.count)")
    return all
  }

  // MARK: Region affinity

  /// The caller's zone, else its region, else `group`, each while healthy enough.
  private static func localityGroup(
    _ group: [HealthTagged], request: RouteRequest, rules: RoutingRules, steps: inout RouteSteps
  ) -> [HealthTagged] {
    guard rules.regionAffinity, request.zone != nil || request.region != nil else { return group }
    let minimum = rules.regionMinHealthyPercent
    var pending: [(name: String, members: [HealthTagged])] = []
    if let zone = request.zone { pending.append(("zone \(zone)", group.filter { $0.instance.zone == zone })) }
    if let region = request.region {
      pending.append(("region \(region)", group.filter { $0.instance.region == region }))
    }
    var reasons: [String] = []
    for (name, members) in pending {
      let healthy = members.count(where: \.healthy)
      if healthy > 0 && Self.share(healthy, of: members.count, atLeast: minimum) {
        steps.append((reasons + ["\(name): \(healthy)/\(members.count) healthy"]).joined(separator: ": "))
        return members
      }
      reasons.append(
        members.isEmpty
          ? "\(name): no instance"
          : "\(name): \(healthy)/\(members.count) healthy < \(Self.format(minimum))%")
    }
    steps.append((reasons + ["all \(group.count)"]).joined(separator: ": "))
    return group
  }

  // MARK: Protection threshold

  /// The healthy part of `group`, or all of it when too little of it is healthy.
  private static func healthyOrProtected(
    _ group: [HealthTagged], rules: RoutingRules, steps: inout RouteSteps
  ) -> [HealthTagged] {
    guard !group.isEmpty else {
      steps.append("no instance")
      return []
    }
    let healthy = group.filter(\.healthy)
    let threshold = rules.protectionThreshold
    if threshold > 0 && !Self.share(healthy.count, of: group.count, atLeast: threshold) {
      let share = "\(healthy.count)/\(group.count) healthy < \(Self.format(threshold))%"
      steps.append("protection threshold: \(share): all \(group.count)")
      return group
    }
    if healthy.isEmpty {
      steps.append("no healthy instance: all \(group.count)")
      return group
    }
    steps.append("healthy: \(healthy.count) of \(group.count)")
    return healthy
  }

  // MARK: Helpers

  /// Whether `part` is at least `percent` % of `whole`, compared as `part × 100 ≥ percent ×
  /// whole` (no division, so a share exactly at the boundary counts).
  private static func share(_ part: Int, of whole: Int, atLeast percent: Double) -> Bool {
    Double(part) * 100 >= percent * Double(whole)
  }

  /// `50` rather than `50.0`; other values as they are.
  private static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}

/// An instance and whether it was healthy when routing asked.
private struct HealthTagged {
  var instance: Instance
  var healthy: Bool
}

extension Instance {
  /// The instance's release tag under `label`; nil (untagged) when absent or empty.
  fileprivate func releaseTag(_ label: String) -> String? {
    guard let tag = tags[label], !tag.isEmpty else { return nil }
    return tag
  }
}

/// The reasons routing gives, written only when asked for (a call's hot path needs the
/// candidates, not the sentences).
struct RouteSteps {
  let enabled: Bool
  private(set) var lines: [String] = []

  init(enabled: Bool) { self.enabled = enabled }

  mutating func append(_ line: @autoclosure () -> String) {
    if enabled { lines.append(line()) }
  }
}
