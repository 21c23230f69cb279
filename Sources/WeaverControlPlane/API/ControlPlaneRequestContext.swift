import Hummingbird
import Logging

/// The request context of the control plane's API: Hummingbird's basics, a 1 MiB body
/// limit (a config release is the largest thing anyone sends).
public struct ControlPlaneRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage

  public init(source: Source) {
    coreContext = .init(source: source)
  }

  public var maxUploadSize: Int { 1 << 20 }
}
