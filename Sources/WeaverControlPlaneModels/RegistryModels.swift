/// What an instance sends to register (`POST /v1/services/{service}/instances`).
public struct InstanceRegistration: Codable, Sendable, Hashable {
  public var host: String
  public var port: Int
  /// Unique within the service; `host:port` when left out.
  public var id: String?
  public var region: String?
  public var zone: String?
  /// The release tag routing matches (`canary`, `stable`, …).
  public var releaseTag: String?
  public var labels: [String: String]?
  /// Relative weight for weighted balancing (default 100).
  public var weight: Int?
  /// `thrift`, `grpc` or `http` (default `thrift`).
  public var `protocol`: String?
  /// Kept alive by heartbeats (default true); a persistent instance stays until deregistered.
  public var ephemeral: Bool?
  /// An ephemeral instance is unhealthy once this long passes without a heartbeat (default 15).
  public var ttlSeconds: Int?
  /// … and removed once this long passes (default 30, at least `ttlSeconds`).
  public var removeAfterSeconds: Int?
  /// For a persistent instance: a check the control plane runs against it (its health is
  /// the check's; it starts unhealthy until the check first passes).
  public var check: HealthCheck?

  public init(
    host: String, port: Int, id: String? = nil, region: String? = nil, zone: String? = nil, releaseTag: String? = nil,
    labels: [String: String]? = nil, weight: Int? = nil, protocol: String? = nil, ephemeral: Bool? = nil,
    ttlSeconds: Int? = nil, removeAfterSeconds: Int? = nil, check: HealthCheck? = nil
  ) {
    self.host = host
    self.port = port
    self.id = id
    self.region = region
    self.zone = zone
    self.releaseTag = releaseTag
    self.labels = labels
    self.weight = weight
    self.protocol = `protocol`
    self.ephemeral = ephemeral
    self.ttlSeconds = ttlSeconds
    self.removeAfterSeconds = removeAfterSeconds
    self.check = check
  }

  /// The id the registry files the instance under: ``id``, or `host:port` when left out.
  /// The registrar knows it before the answer comes, so it can deregister an instance whose
  /// registration was accepted but whose answer was lost.
  public var instanceID: String { id ?? "\(host):\(port)" }
}

/// An instance as the registry holds and returns it.
public struct InstanceRecord: Codable, Sendable, Hashable {
  public var service: String
  public var id: String
  public var host: String
  public var port: Int
  public var region: String?
  public var zone: String?
  public var releaseTag: String?
  public var labels: [String: String]
  public var weight: Int
  public var `protocol`: String
  public var ephemeral: Bool
  public var ttlSeconds: Int
  public var removeAfterSeconds: Int
  /// Whether it is healthy now (an ephemeral instance: heartbeats arrive in time; one with
  /// a check: the check passes).
  public var healthy: Bool
  /// The active health check, with its defaults filled in.
  public var check: HealthCheck?
  /// Taken out of traffic by an operator (Polaris' *isolate*): healthy-only queries leave it
  /// out, whatever its health, until it is re-admitted. Outlives re-registration.
  public var isolated: Bool

  public init(
    service: String, id: String, host: String, port: Int, region: String?, zone: String?, releaseTag: String?,
    labels: [String: String], weight: Int, protocol: String, ephemeral: Bool, ttlSeconds: Int, removeAfterSeconds: Int, healthy: Bool,
    check: HealthCheck? = nil, isolated: Bool = false
  ) {
    self.service = service
    self.id = id
    self.host = host
    self.port = port
    self.region = region
    self.zone = zone
    self.releaseTag = releaseTag
    self.labels = labels
    self.weight = weight
    self.protocol = `protocol`
    self.ephemeral = ephemeral
    self.ttlSeconds = ttlSeconds
    self.removeAfterSeconds = removeAfterSeconds
    self.healthy = healthy
    self.check = check
    self.isolated = isolated
  }

  enum CodingKeys: String, CodingKey {
    case service, id, host, port, region, zone, releaseTag, labels, weight, `protocol`, ephemeral, ttlSeconds, removeAfterSeconds, healthy,
      check, isolated
  }

  /// Decodes records written before `isolated` existed (in a store, from an older server)
  /// as not isolated.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    service = try container.decode(String.self, forKey: .service)
    id = try container.decode(String.self, forKey: .id)
    host = try container.decode(String.self, forKey: .host)
    port = try container.decode(Int.self, forKey: .port)
    region = try container.decodeIfPresent(String.self, forKey: .region)
    zone = try container.decodeIfPresent(String.self, forKey: .zone)
    releaseTag = try container.decodeIfPresent(String.self, forKey: .releaseTag)
    labels = try container.decode([String: String].self, forKey: .labels)
    weight = try container.decode(Int.self, forKey: .weight)
    `protocol` = try container.decode(String.self, forKey: .protocol)
    ephemeral = try container.decode(Bool.self, forKey: .ephemeral)
    ttlSeconds = try container.decode(Int.self, forKey: .ttlSeconds)
    removeAfterSeconds = try container.decode(Int.self, forKey: .removeAfterSeconds)
    healthy = try container.decode(Bool.self, forKey: .healthy)
    check = try container.decodeIfPresent(HealthCheck.self, forKey: .check)
    isolated = try container.decodeIfPresent(Bool.self, forKey: .isolated) ?? false
  }
}

/// What `PUT /v1/services/{service}/instances/{id}/isolation` sends: take the instance out
/// of traffic (`true`) or re-admit it (`false`).
public struct IsolationRequest: Codable, Sendable, Hashable {
  public var isolated: Bool

  public init(isolated: Bool) {
    self.isolated = isolated
  }
}

/// A service's instances as a query returns them.
public struct ServiceInstances: Codable, Sendable, Hashable {
  public var service: String
  /// The store revision the answer was read at: pass it back as `index` to wait for a change.
  public var index: Int64
  public var instances: [InstanceRecord]
  /// True when fewer instances are healthy than the protection threshold allows, so every
  /// instance is returned, unhealthy ones included (they are marked).
  public var protectionApplied: Bool

  public init(service: String, index: Int64, instances: [InstanceRecord], protectionApplied: Bool) {
    self.service = service
    self.index = index
    self.instances = instances
    self.protectionApplied = protectionApplied
  }
}

/// A service's registry settings (`PUT /v1/services/{service}`).
public struct ServiceSettings: Codable, Sendable, Hashable {
  /// When the healthy share of instances falls below this (0…1), queries return every
  /// instance instead of the healthy few (Nacos' `protectThreshold`). Default 0: off.
  public var protectionThreshold: Double?

  public init(protectionThreshold: Double? = nil) {
    self.protectionThreshold = protectionThreshold
  }
}

/// One service in the list (`GET /v1/services`).
public struct ServiceSummary: Codable, Sendable, Hashable {
  public var service: String
  public var instances: Int
  public var healthy: Int

  public init(service: String, instances: Int, healthy: Int) {
    self.service = service
    self.instances = instances
    self.healthy = healthy
  }
}

/// The body of every 4xx and 5xx answer.
public struct APIErrorBody: Codable, Sendable, Hashable {
  public struct Detail: Codable, Sendable, Hashable {
    /// A stable machine-readable code: `invalid_argument`, `not_found`, `unauthenticated`, …
    public var code: String
    public var message: String
  }

  public var error: Detail

  public init(code: String, message: String) {
    error = Detail(code: code, message: message)
  }
}

/// An active health check the control plane runs against a persistent instance (Consul's
/// TCP and HTTP checks; Nacos' server-side probes for persistent instances).
public struct HealthCheck: Codable, Sendable, Hashable {
  /// `tcp`: a connect passes; `http`: `GET path` answered 2xx or 3xx passes.
  public var type: String
  /// For `http`: the path asked for (default `/`).
  public var path: String?
  /// How often it runs (default 10 s, 1–3600).
  public var intervalSeconds: Int?
  /// How long one check may take (default 2 s, 1–60, below the interval).
  public var timeoutSeconds: Int?
  /// Failures in a row that make a healthy instance unhealthy (default 2, 1–10).
  public var unhealthyAfter: Int?
  /// Passes in a row that make an unhealthy instance healthy (default 1, 1–10).
  public var healthyAfter: Int?

  public init(
    type: String, path: String? = nil, intervalSeconds: Int? = nil, timeoutSeconds: Int? = nil, unhealthyAfter: Int? = nil,
    healthyAfter: Int? = nil
  ) {
    self.type = type
    self.path = path
    self.intervalSeconds = intervalSeconds
    self.timeoutSeconds = timeoutSeconds
    self.unhealthyAfter = unhealthyAfter
    self.healthyAfter = healthyAfter
  }
}
