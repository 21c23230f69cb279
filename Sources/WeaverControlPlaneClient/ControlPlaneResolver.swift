import Logging
import WeaverControlPlaneModels
import WeaverCore
import WeaverDiscovery

/// A service's instances from the control plane, followed by blocking queries: a client
/// built on it sees instances come, go and turn unhealthy within one round trip. When the
/// control plane cannot be reached, the last known set stays in force (nothing is yielded)
/// and the resolver retries with backoff until it answers again.
///
/// ```swift
/// let resolver = ControlPlaneResolver(client: client, service: "FeedService")
/// let feed = ThriftClient(resolver: resolver, governance: governor)
/// ```
public struct ControlPlaneResolver: InstanceResolver {
  public let client: ControlPlaneClient
  public let service: String
  /// Healthy instances only (the control plane returns all of them under its protection
  /// threshold).
  public var healthyOnly: Bool
  /// How long one blocking query waits for a change.
  public var wait: Duration
  let time: TimeSource
  let logger: Logger

  public init(
    client: ControlPlaneClient, service: String, healthyOnly: Bool = true, wait: Duration = .seconds(30), time: TimeSource = .continuous,
    logger: Logger = Logger(label: "cloudweaver.resolver")
  ) {
    self.client = client
    self.service = service
    self.healthyOnly = healthyOnly
    self.wait = wait
    self.time = time
    self.logger = logger
  }

  public func updates() -> AsyncThrowingStream<[Instance], any Error> {
    let (stream, continuation) = AsyncThrowingStream<[Instance], any Error>.makeStream()
    let follow = Task { await self.follow(continuation) }
    continuation.onTermination = { _ in follow.cancel() }
    return stream
  }

  private func follow(_ continuation: AsyncThrowingStream<[Instance], any Error>.Continuation) async {
    var index: Int64?
    var last: [Instance]?
    var delay = Duration.milliseconds(200)
    while !Task.isCancelled {
      do {
        let answer = try await client.instances(service: service, healthyOnly: healthyOnly, index: index, wait: wait)
        delay = .milliseconds(200)
        // An index that went backwards: the store was reset; start over.
        index = (index.map { answer.index < $0 } ?? false) ? nil : answer.index
        let instances = answer.instances.map(Self.instance)
        if instances != last {
          last = instances
          continuation.yield(instances)
        }
      } catch {
        if Task.isCancelled { break }
        logger.warning("resolving \(service) failed; keeping the last known instances, retrying in \(delay): \(error)")
        do {
          try await time.sleep(delay)
        } catch {
          break
        }
        delay = min(delay * 2, .seconds(10))
      }
    }
    continuation.finish()
  }

  /// The registry's record as the RPC layer's instance: the release tag under the label
  /// routing reads (`release`), the free labels beside it.
  static func instance(_ record: InstanceRecord) -> Instance {
    var tags = record.labels
    if let tag = record.releaseTag { tags["release"] = tag }
    return Instance(host: record.host, port: record.port, weight: record.weight, region: record.region, zone: record.zone, tags: tags)
  }
}
