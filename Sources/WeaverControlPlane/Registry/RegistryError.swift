import WeaverStore

/// Why the registry refused or failed a request.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The request is malformed: a bad name, a port out of range, … (HTTP 400).
  case invalid(String)
  /// No such instance (HTTP 404): deregistered, or removed after missing heartbeats.
  case notFound(String)
  /// The store failed (HTTP 503).
  case store(StoreError)

  public var description: String {
    switch self {
    case .invalid(let reason), .notFound(let reason): reason
    case .store(let error): error.description
    }
  }
}
