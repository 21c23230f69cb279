import WeaverControlPlaneModels

/// What the registry accepts: names that are safe in keys and URLs, sane numbers.
enum RegistryValidation {
  static let protocols: Set<String> = ["thrift", "grpc", "http"]

  /// A service name: letters, digits, `.`, `_`, `-`; 1–128 characters, starting with a
  /// letter or digit.
  static func serviceName(_ name: String) throws(RegistryError) {
    try check(name, what: "service name", extra: [])
  }

  /// An instance id: as a service name, and `:` (`host:port` is the default id).
  static func instanceID(_ id: String) throws(RegistryError) {
    try check(id, what: "instance id", extra: [":"])
  }

  private static func check(_ name: String, what: String, extra: Set<Character>) throws(RegistryError) {
    guard !name.isEmpty, name.count <= 128 else { throw .invalid("\(what) must be 1–128 characters; got \(name.count)") }
    guard let first = name.first, first.isASCII, first.isLetter || first.isNumber else {
      throw .invalid("\(what) '\(name)' must start with a letter or digit")
    }
    for character in name where !(character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character) || extra.contains(character))) {
      throw .invalid("\(what) '\(name)' may hold letters, digits and \("._-" + String(extra)) only; not '\(character)'")
    }
  }

  /// The registration, checked field by field, with defaults filled in.
  static func record(service: String, _ registration: InstanceRegistration) throws(RegistryError) -> InstanceRecord {
    try serviceName(service)
    let host = registration.host
    guard !host.isEmpty, host.utf8.count <= 253, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      throw .invalid("host must be a host name or address (1–253 characters, no spaces or '/')")
    }
    guard (1...65_535).contains(registration.port) else { throw .invalid("port must be in 1…65535; got \(registration.port)") }
    let id = registration.instanceID
    try instanceID(id)
    let weight = registration.weight ?? 100
    guard (0...10_000).contains(weight) else { throw .invalid("weight must be in 0…10000; got \(weight)") }
    let `protocol` = registration.protocol ?? "thrift"
    guard protocols.contains(`protocol`) else { throw .invalid("protocol must be one of thrift, grpc, http; got '\(`protocol`)'") }
    let ttl = registration.ttlSeconds ?? 15
    guard (1...3_600).contains(ttl) else { throw .invalid("ttlSeconds must be in 1…3600; got \(ttl)") }
    let removeAfter = registration.removeAfterSeconds ?? max(30, ttl)
    guard (ttl...86_400).contains(removeAfter) else { throw .invalid("removeAfterSeconds must be in ttlSeconds (\(ttl))…86400; got \(removeAfter)") }
    let labels = registration.labels ?? [:]
    guard labels.count <= 64 else { throw .invalid("at most 64 labels; got \(labels.count)") }
    for (key, value) in labels where key.isEmpty || key.utf8.count > 256 || value.utf8.count > 256 {
      throw .invalid("label keys must be 1–256 bytes and values at most 256 bytes ('\(key.prefix(40))')")
    }
    for (field, value) in [("region", registration.region), ("zone", registration.zone), ("releaseTag", registration.releaseTag)] {
      if let value, value.isEmpty || value.utf8.count > 128 { throw .invalid("\(field) must be 1–128 bytes when given") }
    }
    let ephemeral = registration.ephemeral ?? true
    let check = try registration.check.map { check throws(RegistryError) in
      guard !ephemeral else {
        throw .invalid("check: active health checks are for persistent instances (ephemeral: false); ephemeral ones are kept by heartbeats")
      }
      return try Self.check(check)
    }
    return InstanceRecord(
      service: service, id: id, host: host, port: registration.port, region: registration.region, zone: registration.zone,
      releaseTag: registration.releaseTag, labels: labels, weight: weight, protocol: `protocol`, ephemeral: ephemeral,
      ttlSeconds: ttl, removeAfterSeconds: removeAfter, healthy: check == nil, check: check)
  }

  /// The check, validated, with its defaults filled in.
  static func check(_ check: HealthCheck) throws(RegistryError) -> HealthCheck {
    guard check.type == "tcp" || check.type == "http" else { throw .invalid("check.type must be tcp or http; got '\(check.type)'") }
    var filled = check
    if check.type == "http" {
      let path = check.path ?? "/"
      guard path.hasPrefix("/"), path.utf8.count <= 1024, !path.contains(where: { $0.isWhitespace || $0.isNewline }) else {
        throw .invalid("check.path must start with '/' and hold no spaces (at most 1024 bytes)")
      }
      filled.path = path
    } else if check.path != nil {
      throw .invalid("check.path is for http checks")
    }
    filled.intervalSeconds = check.intervalSeconds ?? 10
    filled.timeoutSeconds = check.timeoutSeconds ?? min(2, filled.intervalSeconds!)
    filled.unhealthyAfter = check.unhealthyAfter ?? 2
    filled.healthyAfter = check.healthyAfter ?? 1
    for (field, value, range) in [
      ("intervalSeconds", filled.intervalSeconds!, 1...3_600), ("timeoutSeconds", filled.timeoutSeconds!, 1...min(60, filled.intervalSeconds!)),
      ("unhealthyAfter", filled.unhealthyAfter!, 1...10), ("healthyAfter", filled.healthyAfter!, 1...10),
    ] where !range.contains(value) {
      throw .invalid("check.\(field) must be in \(range.lowerBound)…\(range.upperBound); got \(value)")
    }
    return filled
  }
}
