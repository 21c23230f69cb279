import Foundation
import Synchronization
import WeaverCore

/// The demo server's middleware: counts calls, and prints each call that carries metadata
/// with the metadata and deadline that came with it, so the demo shows them crossing the
/// process boundary.
final class DemoCallPrinter: ServerMiddleware {
  let calls = Atomic<Int>(0)
  /// Count only, print nothing.
  let quiet: Bool

  init(quiet: Bool = false) {
    self.quiet = quiet
  }

  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext,
    next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    calls.wrappingAdd(1, ordering: .relaxed)
    guard !quiet, !context.metadata.persistent.isEmpty || !context.metadata.transientUpstream.isEmpty else {
      return try await next(request, context)
    }
    var seen: [String] = []
    if let caller = context.caller { seen.append("caller=\(caller)") }
    seen += context.metadata.persistent.sorted { $0.key < $1.key }.map { "persistent \($0.key)=\($0.value)" }
    seen += context.metadata.transientUpstream.sorted { $0.key < $1.key }.map { "transient \($0.key)=\($0.value)" }
    if let remaining = context.remaining() {
      seen.append("deadline in \(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000) ms")
    }
    DemoOutput.line("\(context.method)  \(seen.joined(separator: ", "))")
    return try await next(request, context)
  }
}

/// Unbuffered line output: the demo's processes are read through pipes.
enum DemoOutput {
  static func line(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }
}
