import Foundation
import WeaverGovernance

/// A rule store for a `--rules`-style file: the file is read and checked before the server
/// takes its first call (a file that does not parse stops the command with its problems,
/// and no call slips through before the rules apply), then watched for live changes.
enum WatchedRuleFile {
  static func store(service: String, path: String) throws -> RuleStore {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw CommandFailure(description: "cannot read the rule file \(path): \(error.localizedDescription)")
    }
    let store = RuleStore(service: service, sources: [RuleFileWatcher(path: path)])
    do { try store.set(RuleDocument(parsing: text, file: path), layer: .file) } catch {
      throw CommandFailure(description: "the rule file \(path) is not valid:\n\(error)")
    }
    return store
  }
}
