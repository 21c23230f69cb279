import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WeaverControlPlaneClient
import WeaverControlPlaneModels
import WeaverCore

/// Follows one config namespace for a service: the release in force as an atomic
/// ``ConfigSnapshot``, listeners called after each swap with the old and new snapshots, and
/// a local cache file, so a service starts on its last known config while the control
/// plane is down and catches up when it returns. A `Service`: run it beside the service.
///
/// ```swift
/// let settings = ConfigWatcher(client: controlPlane, app: "feed", namespace: "application", cacheDirectory: "/var/cache/feed")
/// settings.onChange { old, new in logger.info("config release \(new.number)") }
/// let timeout = try settings.current?.decode(FeedSettings.self).timeout
/// ```
public final class ConfigWatcher: Service {
  public let client: ControlPlaneClient
  public let app: String
  public let cluster: String
  public let namespace: String
  /// Where the last release is kept (`APP+CLUSTER+NAMESPACE.json`); nil: no cache.
  public let cacheDirectory: String?
  /// Who this service is, for gray releases (address, labels, instance id): a gray
  /// release whose rule selects it is the one in force here.
  public let identity: ConfigClient?
  /// How long one blocking query waits.
  public let wait: Duration
  let time: TimeSource
  let logger: Logger
  private let state = Mutex(State())

  struct State {
    var current: ConfigSnapshot?
    var listeners: [@Sendable (ConfigSnapshot?, ConfigSnapshot) -> Void] = []
  }

  public init(
    client: ControlPlaneClient, app: String, cluster: String = "default", namespace: String, identity: ConfigClient? = nil,
    cacheDirectory: String? = nil, wait: Duration = .seconds(30), time: TimeSource = .continuous,
    logger: Logger = Logger(label: "cloudweaver.config")
  ) {
    self.client = client
    self.identity = identity
    self.app = app
    self.cluster = cluster
    self.namespace = namespace
    self.cacheDirectory = cacheDirectory
    self.wait = wait
    self.time = time
    self.logger = logger
    if let cached = loadCache() { state.withLock { $0.current = cached } }
  }

  /// The release in force (from the cache file until the control plane answers); nil
  /// before there is any.
  public var current: ConfigSnapshot? { state.withLock { $0.current } }

  /// Calls `listener` after every swap to a new release, with the old and new snapshots.
  public func onChange(_ listener: @escaping @Sendable (ConfigSnapshot?, ConfigSnapshot) -> Void) {
    state.withLock { $0.listeners.append(listener) }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown { await self.follow() }
  }

  /// Follows the namespace by blocking queries until cancelled; a failure keeps the
  /// snapshot in force and retries with backoff (0.2 s doubling to 10 s).
  func follow() async {
    var index: Int64?
    var delay = Duration.milliseconds(200)
    while !Task.isCancelled {
      do {
        let answer = try await client.namespace(app: app, cluster: cluster, namespace: namespace, client: identity, index: index, wait: wait)
        delay = .milliseconds(200)
        index = (index.map { answer.index < $0 } ?? false) ? nil : answer.index
        if let release = answer.current { swap(to: ConfigSnapshot(release: release)) }
      } catch {
        if Task.isCancelled { return }
        if case .refused(404, _, _) = error {
          index = nil  // not created yet: ask again after the backoff
        } else {
          logger.warning("following \(app)/\(cluster)/\(namespace) failed; keeping release \(current?.number ?? 0), retrying in \(delay): \(error)")
        }
        do { try await time.sleep(delay) } catch { return }
        delay = min(delay * 2, .seconds(10))
      }
    }
  }

  /// Takes `snapshot` if it is a new release: swaps, writes the cache, tells the listeners.
  private func swap(to snapshot: ConfigSnapshot) {
    typealias Listener = @Sendable (ConfigSnapshot?, ConfigSnapshot) -> Void
    let swapped = state.withLock { state -> (old: ConfigSnapshot?, listeners: [Listener])? in
      guard state.current?.release != snapshot.release else { return nil }
      let old = state.current
      state.current = snapshot
      return (old, state.listeners)
    }
    guard let swapped else { return }
    saveCache(snapshot)
    for listener in swapped.listeners { listener(swapped.old, snapshot) }
  }

  // MARK: Cache file

  var cachePath: String? {
    cacheDirectory.map { "\($0)/\(app)+\(cluster)+\(namespace).json" }
  }

  private func loadCache() -> ConfigSnapshot? {
    guard let cachePath, let data = FileManager.default.contents(atPath: cachePath),
      let release = try? JSONDecoder().decode(ConfigRelease.self, from: data)
    else { return nil }
    return ConfigSnapshot(release: release)
  }

  private func saveCache(_ snapshot: ConfigSnapshot) {
    guard let cacheDirectory, let cachePath else { return }
    do {
      try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
      // Written whole then renamed: a crash never leaves half a file.
      try JSONEncoder().encode(snapshot.release).write(to: URL(fileURLWithPath: cachePath), options: .atomic)
    } catch {
      logger.warning("cannot write the config cache \(cachePath): \(error)")
    }
  }
}
