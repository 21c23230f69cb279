import Foundation
import ServiceLifecycle

/// A child of `weaver demo` ends with it: once its parent is gone (killed, not just
/// interrupted), it sends itself SIGTERM and shuts down gracefully, so no demo process or
/// port is left behind.
struct DemoParentWatch: Service {
  let parent = getppid()

  func run() async throws {
    try? await cancelWhenGracefulShutdown {
      while getppid() == parent { try await Task.sleep(for: .milliseconds(500)) }
      kill(getpid(), SIGTERM)
    }
  }
}
