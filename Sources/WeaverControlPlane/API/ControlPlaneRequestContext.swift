import Hummingbird
import Logging

/// The request context of the control plane's API: Hummingbird's basics, a 1 MiB body
/// limit (a config release is the largest thing anyone sends).
public struct ControlPlaneRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Who is asking, for the audit log: the console user's sign-in name, else `api` (API
  /// writes name their author in the body, and the log takes that).
  public var actor = "api"
  /// The signed-in console user, if the request comes from one.
  public var consoleUser: String?

  public init(source: Source) {
    coreContext = .init(source: source)
  }

  public var maxUploadSize: Int { 1 << 20 }
}
