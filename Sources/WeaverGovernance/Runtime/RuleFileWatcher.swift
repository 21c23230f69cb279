import FoundationEssentials
import Logging
import WeaverCore

/// Watches a rule file (`service.yaml`): yields its document at start and whenever its
/// content changes to a valid version. A version that does not parse is logged and
/// counted, and nothing is yielded, so the rules in force stay; a file that disappears
/// keeps them too.
///
/// It polls (every ``interval``, default 1 s): simple, portable, and immune to editors that
/// replace a file instead of writing it.
public struct RuleFileWatcher: RuleSource {
  public let path: String
  public let layer: RuleLayer
  public let interval: Duration
  private let time: TimeSource
  private let events: GovernanceEvents

  public init(
    path: String, layer: RuleLayer = .file, interval: Duration = .seconds(1), time: TimeSource = .continuous,
    events: GovernanceEvents = GovernanceEvents()
  ) {
    self.path = path
    self.layer = layer
    self.interval = interval
    self.time = time
    self.events = events
  }

  public var name: String { path }

  public func documents() -> AsyncStream<RuleDocument?> {
    let (stream, continuation) = AsyncStream.makeStream(of: RuleDocument?.self, bufferingPolicy: .bufferingNewest(1))
    let task = Task {
      var last: Data?
      while !Task.isCancelled {
        if let document = check(&last) { continuation.yield(document) }
        do { try await time.sleep(interval) } catch { break }
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  /// Reads the file; a changed valid version comes back, anything else is nil. A file
  /// over ``RuleTree/maxBytes`` is refused unread (its size is checked first), once.
  func check(_ last: inout Data?) -> RuleDocument? {
    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    if let size, size > RuleTree.maxBytes {
      let marker = Data("oversized \(size)".utf8)
      guard last != marker else { return nil }
      last = marker
      let problem = RuleProblem(
        file: path, location: RuleLocation(line: 1, column: 1), path: "", reason: "\(size) bytes: a rule file may hold \(RuleTree.maxBytes) at most")
      events.rulesRejected(service: "", source: path, error: RuleSetError([problem]))
      return nil
    }
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
      if last != nil {
        events.logger.warning("rule file is gone; the rules in force stay", metadata: ["path": "\(path)"])
        last = nil
      }
      return nil
    }
    guard data != last else { return nil }
    last = data
    do {
      guard let text = String(data: data, encoding: .utf8) else {
        throw RuleSetError([RuleProblem(file: path, location: RuleLocation(line: 1, column: 1), path: "", reason: "not UTF-8 text")])
      }
      return try RuleDocument(parsing: text, file: path)
    } catch {
      events.rulesRejected(service: "", source: path, error: error)
      return nil
    }
  }
}
