import Logging
import Synchronization

/// A log handler that keeps every line with its metadata (the handler's, the call's and
/// the metadata provider's), as strings.
struct RecordingLogHandler: LogHandler {
  struct Line: Sendable {
    var message: String
    var metadata: [String: String]
  }

  final class Records: Sendable {
    private let lines = Mutex<[Line]>([])
    var all: [Line] { lines.withLock { $0 } }
    func append(_ line: Line) { lines.withLock { $0.append(line) } }
  }

  let records: Records
  var metadata: Logger.Metadata = [:]
  var metadataProvider: Logger.MetadataProvider?
  var logLevel: Logger.Level = .trace

  init(records: Records, metadataProvider: Logger.MetadataProvider? = nil) {
    self.records = records
    self.metadataProvider = metadataProvider
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var all = metadata
    all.merge(metadataProvider?.get() ?? [:]) { _, new in new }
    all.merge(event.metadata ?? [:]) { _, new in new }
    records.append(Line(message: event.message.description, metadata: all.mapValues { "\($0)" }))
  }
}
