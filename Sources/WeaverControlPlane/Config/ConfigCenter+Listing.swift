import Foundation
import WeaverControlPlaneModels
import WeaverStore

/// One namespace in the list the console shows.
public struct NamespaceSummary: Sendable, Hashable {
  public var app: String
  public var cluster: String
  public var namespace: String
  public var format: ConfigFormat
  /// The main release in force (0: never published).
  public var latest: Int
  public var hasDraft: Bool
  public var hasGray: Bool
}

extension ConfigCenter {
  /// Every namespace, by app, cluster and name.
  public func namespaces() async throws(ConfigError) -> [NamespaceSummary] {
    let range: RangeResult
    do {
      range = try await store.range(prefix: "/config/")
    } catch {
      throw .store(error.description)
    }
    var found: [String: NamespaceSummary] = [:]
    let decoder = JSONDecoder()
    for keyValue in range.keyValues {
      // /config/{app}/{cluster}/{namespace}/{leaf…}
      let parts = keyValue.key.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: true)
      guard parts.count >= 5 else { continue }
      let id = "\(parts[1])/\(parts[2])/\(parts[3])"
      var summary =
        found[id]
        ?? NamespaceSummary(
          app: String(parts[1]), cluster: String(parts[2]), namespace: String(parts[3]), format: .properties, latest: 0, hasDraft: false,
          hasGray: false)
      switch parts[4] {
      case "meta": summary.format = (try? decoder.decode(Meta.self, from: keyValue.value))?.format ?? .properties
      case "latest": summary.latest = Self.number(keyValue)
      case "draft": summary.hasDraft = true
      case "gray": summary.hasGray = (try? decoder.decode(GrayRecord.self, from: keyValue.value)).map { $0.ended == nil } ?? false
      default: break
      }
      found[id] = summary
    }
    return found.values.sorted { ($0.app, $0.cluster, $0.namespace) < ($1.app, $1.cluster, $1.namespace) }
  }
}

extension ConfigCenter {
  /// The namespace's state, or nil when it does not exist yet.
  public func stateIfExists(app: String, cluster: String, namespace: String) async throws(ConfigError) -> NamespaceState? {
    let result: Result<NamespaceState, ConfigError>
    do {
      result = .success(try await state(app: app, cluster: cluster, namespace: namespace))
    } catch {
      result = .failure(error)
    }
    switch result {
    case .success(let state): return state
    case .failure(.notFound): return nil
    case .failure(let error): throw error
    }
  }
}
