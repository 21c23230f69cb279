import Hummingbird
import NIOCore
import ServiceLifecycle
import WeaverStore

/// `/console/events`: server-sent events, one `change` each time the control plane's
/// store moves (an instance comes or goes, a release, an isolation), for the live script.
/// A stream lasts at most ``streamLifetime`` (the browser reconnects by itself) and ends at
/// once on graceful shutdown or when the browser goes.
struct ConsoleEvents {
  let store: any Store
  static let streamLifetime = Duration.seconds(300)

  func add(to console: RouterGroup<ControlPlaneRequestContext>) {
    console.get("events") { _, _ in
      let changes = try await changes(from: try await store.revision() + 1)
      var headers = ConsoleResponses.securityHeaders
      headers[.contentType] = "text/event-stream"
      return Response(
        status: .ok, headers: headers,
        body: ResponseBody { writer in
          try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
          for await revision in changes {
            try await writer.write(ByteBuffer(string: "event: change\ndata: \(revision)\n\n"))
          }
          try await writer.finish(nil)
        })
    }
  }

  /// The revisions of the store's changes from `revision` on, until the stream's lifetime
  /// is up, the server shuts down, or the reader stops reading.
  func changes(from revision: Int64) async throws -> AsyncStream<Int64> {
    let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
    let store = self.store
    let producer = Task {
      try? await cancelWhenGracefulShutdown {
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await Task.sleep(for: Self.streamLifetime) }
          group.addTask {
            for try await events in store.watch(prefix: "/", fromRevision: revision) {
              if let revision = events.first?.keyValue.modRevision { continuation.yield(revision) }
            }
          }
          try await group.next()
          group.cancelAll()
        }
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in producer.cancel() }
    return stream
  }
}
