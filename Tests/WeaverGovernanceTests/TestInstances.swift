import WeaverCore

/// `name:9000` with the given weight, locality and release tag.
func instance(
  _ name: String, weight: Int = 100, region: String? = nil, zone: String? = nil, release: String? = nil
) -> Instance {
  Instance(
    host: name, port: 9000, weight: weight, region: region, zone: zone,
    tags: release.map { ["release": $0] } ?? [:])
}

/// How many times each host was picked.
func tally(_ picks: [Instance?]) -> [String: Int] {
  var counts: [String: Int] = [:]
  for pick in picks { counts[pick?.host ?? "nil", default: 0] += 1 }
  return counts
}
