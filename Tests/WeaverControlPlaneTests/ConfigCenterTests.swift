import Foundation
import Testing
import WeaverControlPlane
import WeaverControlPlaneModels
import WeaverStore

/// The config center over a real SQLite store: drafts, numbered releases, history, diffs,
/// rollback, validation per format and of governance rules, concurrent publishes.
@Suite(.timeLimit(.minutes(1))) struct ConfigCenterTests {
  static func withCenter(_ body: (ConfigCenter) async throws -> Void) async throws {
    try await TemporaryStore.with { store in try await body(ConfigCenter(store: store)) }
  }

  @Test func editPublishHistoryDiffRollback() async throws {
    try await Self.withCenter { config in
      _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=10\nretries=2\n"))
      let first = try await config.publish(app: "demo", cluster: "default", namespace: "application", PublishRequest(author: "ana", comment: "first"))
      #expect(first.number == 1 && first.format == .properties && first.kind == "publish" && first.author == "ana")
      var state = try await config.state(app: "demo", cluster: "default", namespace: "application")
      #expect(state.current == first && state.draft == nil, "a published draft is cleared")

      _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=30\nregion=eu\n"))
      state = try await config.state(app: "demo", cluster: "default", namespace: "application")
      #expect(state.current?.number == 1 && state.draft == "timeout=30\nregion=eu\n", "a draft does not change what is in force")
      let second = try await config.publish(app: "demo", cluster: "default", namespace: "application", PublishRequest(author: "ben", comment: "longer"))
      #expect(second.number == 2)

      let diff = try await config.diff(app: "demo", cluster: "default", namespace: "application", from: 1, to: 2)
      #expect(diff.changes == [
        ReleaseDiff.Change(kind: "added", key: "region", old: nil, new: "eu"),
        ReleaseDiff.Change(kind: "removed", key: "retries", old: "2", new: nil),
        ReleaseDiff.Change(kind: "changed", key: "timeout", old: "10", new: "30"),
      ])

      let rolledBack = try await config.rollback(app: "demo", cluster: "default", namespace: "application", RollbackRequest(author: "ana"))
      #expect(rolledBack.number == 3 && rolledBack.kind == "rollback" && rolledBack.rolledBackTo == 1 && rolledBack.content == first.content)
      let history = try await config.history(app: "demo", cluster: "default", namespace: "application")
      #expect(history.map(\.number) == [3, 2, 1], "newest first; releases are never changed")
      #expect(try await config.release(app: "demo", cluster: "default", namespace: "application", number: 2).content == "timeout=30\nregion=eu\n")
    }
  }

  @Test(arguments: [
    (ConfigFormat.properties, "no separator here", "line 1"),
    (ConfigFormat.properties, "a=1\r\nnot a pair\r\n", "line 2"),
    (ConfigFormat.json, #"{"a": "#, "JSON"),
    (ConfigFormat.yaml, "a: [1, 2", "YAML"),
  ])
  func contentThatDoesNotParseIsNotPublished(format: ConfigFormat, content: String, reason: String) async throws {
    try await Self.withCenter { config in
      _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "broken", ConfigDraft(format: format, content: content))
      let error = await #expect(throws: ConfigError.self) {
        try await config.publish(app: "demo", cluster: "default", namespace: "broken", PublishRequest(author: "ana"))
      }
      #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
      #expect(try await config.history(app: "demo", cluster: "default", namespace: "broken").isEmpty)
    }
  }

  @Test func windowsLineEndingsAreLinesToo() async throws {
    try await Self.withCenter { config in
      for content in ["a=1\r\nb=2\r\n", "a=1\r\nb=3\r\n"] {
        _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "crlf", ConfigDraft(content: content))
        _ = try await config.publish(app: "demo", cluster: "default", namespace: "crlf", PublishRequest(author: "ana"))
      }
      let diff = try await config.diff(app: "demo", cluster: "default", namespace: "crlf", from: 1, to: 2)
      #expect(diff.changes == [ReleaseDiff.Change(kind: "changed", key: "b", old: "2", new: "3")])
    }
  }

  @Test func governanceRulesAreValidatedOnPublishWithTheField() async throws {
    try await Self.withCenter { config in
      _ = try await config.saveDraft(
        app: "FeedService", cluster: "default", namespace: "governance",
        ConfigDraft(format: .yaml, content: "circuitBreaker:\n  failureRateThreshold: 160%\n"))
      let error = await #expect(throws: ConfigError.self) {
        try await config.publish(app: "FeedService", cluster: "default", namespace: "governance", PublishRequest(author: "ana"))
      }
      #expect(error?.description.contains("circuitBreaker.failureRateThreshold") == true, "\(error?.description ?? "")")
      _ = try await config.saveDraft(
        app: "FeedService", cluster: "default", namespace: "governance", ConfigDraft(content: "circuitBreaker:\n  failureRateThreshold: 60%\n"))
      let published = try await config.publish(app: "FeedService", cluster: "default", namespace: "governance", PublishRequest(author: "ana"))
      #expect(published.number == 1 && published.format == .yaml)
    }
  }

  @Test func concurrentPublishesTakeDistinctNumbers() async throws {
    try await Self.withCenter { config in
      _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "text", ConfigDraft(format: .text, content: "v1"))
      _ = try await config.publish(app: "demo", cluster: "default", namespace: "text", PublishRequest(author: "a"))
      // Ten edit-and-publish rounds at once: each publish takes the next number or is told to try again.
      let outcomes = await withTaskGroup(of: Int?.self) { group in
        for _ in 0..<10 {
          group.addTask {
            _ = try? await config.saveDraft(app: "demo", cluster: "default", namespace: "text", ConfigDraft(content: "v2"))
            return try? await config.publish(app: "demo", cluster: "default", namespace: "text", PublishRequest(author: "b")).number
          }
        }
        return await group.reduce(into: [Int]()) { if let number = $1 { $0.append(number) } }
      }
      #expect(Set(outcomes).count == outcomes.count, "no number taken twice: \(outcomes)")
      let history = try await config.history(app: "demo", cluster: "default", namespace: "text")
      #expect(history.map(\.number) == Array((1...history.count).reversed()), "numbers without gaps")
    }
  }

  @Test func refusals() async throws {
    try await Self.withCenter { config in
      await #expect(throws: ConfigError.self) { try await config.state(app: "demo", cluster: "default", namespace: "none") }
      await #expect(throws: ConfigError.self) { try await config.saveDraft(app: "bad/app", cluster: "default", namespace: "x", ConfigDraft(content: "")) }
      _ = try await config.saveDraft(app: "demo", cluster: "default", namespace: "x", ConfigDraft(content: "a=1"))
      await #expect(throws: ConfigError.self) { try await config.publish(app: "demo", cluster: "default", namespace: "x", PublishRequest(author: " ")) }
      _ = try await config.publish(app: "demo", cluster: "default", namespace: "x", PublishRequest(author: "ana"))
      await #expect(throws: ConfigError.self, "a format stays once released") {
        try await config.saveDraft(app: "demo", cluster: "default", namespace: "x", ConfigDraft(format: .json, content: "{}"))
      }
      await #expect(throws: ConfigError.self, "nothing earlier to roll back to") {
        try await config.rollback(app: "demo", cluster: "default", namespace: "x", RollbackRequest(author: "ana"))
      }
      await #expect(throws: ConfigError.self, "no draft") { try await config.publish(app: "demo", cluster: "default", namespace: "x", PublishRequest(author: "ana")) }
    }
  }
}
