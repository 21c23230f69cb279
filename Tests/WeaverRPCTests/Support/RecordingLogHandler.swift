import Logging
import Synchronization

/// A log handler that keeps every message, so a test can wait for a logged event.
struct RecordingLogHandler: LogHandler {
  final class Store: Sendable {
    private let messages = Mutex<[String]>([])
    var all: [String] { messages.withLock { $0 } }
    func append(_ message: String) { messages.withLock { $0.append(message) } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
  }

  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    store.append("\(event.level): \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
  }

  /// A logger whose messages land in `store`.
  static func logger(_ store: Store) -> Logger {
    Logger(label: "test") { _ in RecordingLogHandler(store: store) }
  }
}
