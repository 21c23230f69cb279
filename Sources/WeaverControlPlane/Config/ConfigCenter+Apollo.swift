import Foundation
import WeaverControlPlaneModels
import WeaverStore

/// What Apollo's client protocol needs from the config center: a namespace found the way
/// Apollo finds it, its configurations, its release key and its notification id.
public struct ApolloNamespace: Sendable, Hashable {
  /// The namespace as stored (the cluster it fell back to, the name without extension).
  public var app: String
  public var cluster: String
  public var namespace: String
  public var release: ConfigRelease
  /// Changes with every release (Apollo compares it as an opaque string).
  public var releaseKey: String
  /// Apollo's global, ever-increasing release-message id: the store revision of the release.
  public var notificationID: Int64

  /// Apollo's `configurations`: the keys of a properties namespace; `{"content": text}` for
  /// the other formats.
  public var configurations: [String: String] {
    release.format == .properties ? ((try? ConfigContent.properties(release.content)) ?? [:]) : ["content": release.content]
  }
}

extension ConfigCenter {
  /// The namespace Apollo's `/configs/{appId}/{cluster}/{namespace}` means: the cluster,
  /// else `default`; the name as given, else without a `.yaml`/`.yml`/`.json`/`.txt`
  /// extension when the stored namespace has that format. Nil when it has no release.
  /// A `client` its gray rule selects gets the gray release.
  public func apolloNamespace(app: String, cluster: String, name: String, client: ConfigClient? = nil) async throws(ConfigError) -> ApolloNamespace? {
    for candidate in Self.apolloCandidates(app: app, cluster: cluster, name: name) {
      guard (try? candidate.key.validate()) != nil else { continue }
      guard let latest = try await read(candidate.key.latest), case let number = Self.number(latest), number > 0 else { continue }
      var release = try await release(candidate.key, number: number)
      if let format = candidate.format, release.format != format { continue }
      var releaseKey = "\(number)-\(latest.modRevision)"
      // A gray release's start and end are changes every client is told of (the ones
      // it does not select find their release key unchanged).
      var notificationID = latest.modRevision
      if let (gray, revision) = try await storedGray(candidate.key) {
        notificationID = max(notificationID, revision)
        if gray.ended == nil, let client, gray.rule.matches(client, salt: Self.grayID(candidate.key, gray.number)) {
          release = try await self.release(candidate.key, number: gray.number)
          releaseKey = "\(gray.number)-\(revision)"
        }
      }
      return ApolloNamespace(
        app: app, cluster: candidate.key.cluster, namespace: candidate.key.namespace, release: release, releaseKey: releaseKey,
        notificationID: notificationID)
    }
    return nil
  }

  /// The store prefixes a wait on Apollo's namespace must watch (every candidate's).
  func apolloPrefixes(app: String, cluster: String, name: String) -> [String] {
    Self.apolloCandidates(app: app, cluster: cluster, name: name).map(\.key.prefix)
  }

  /// The store's revision now: read it before looking, and wait from it, so that nothing
  /// published in between is missed.
  func currentRevision() async throws(ConfigError) -> Int64 {
    do {
      return try await store.revision()
    } catch {
      throw .store(error.description)
    }
  }

  /// Waits until any of `prefixes` changes after `revision`, or `timeout`; returns the
  /// change's revision (nil: none).
  @discardableResult
  func waitForApolloChange(prefixes: [String], after revision: Int64, timeout: Duration) async throws(ConfigError) -> Int64? {
    do {
      return try await StoreWaits.waitForChange(in: store, prefixes: prefixes, after: revision, timeout: timeout, time: time)
    } catch {
      throw .store(error.description)
    }
  }

  private static func apolloCandidates(app: String, cluster: String, name: String) -> [(key: NamespaceKey, format: ConfigFormat?)] {
    let extensions: [(String, ConfigFormat)] = [(".yaml", .yaml), (".yml", .yaml), (".json", .json), (".txt", .text), (".properties", .properties)]
    var names: [(String, ConfigFormat?)] = [(name, nil)]
    for (suffix, format) in extensions where name.hasSuffix(suffix) && name.count > suffix.count {
      names.append((String(name.dropLast(suffix.count)), format))
    }
    let clusters = cluster == "default" ? ["default"] : [cluster, "default"]
    return clusters.flatMap { cluster in names.map { (NamespaceKey(app: app, cluster: cluster, namespace: $0.0), $0.1) } }
  }
}
