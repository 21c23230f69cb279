import Foundation
import Testing
import WeaverControlPlane
import WeaverControlPlaneModels

/// Gray releases in the config center over a real SQLite store: who sees the gray release
/// (addresses, labels, a stable percentage), promotion, abandonment, and how they sit
/// beside main releases, rollbacks and history.
@Suite(.timeLimit(.minutes(1))) struct GrayReleaseTests {
  static let canary = ConfigClient(ip: "10.0.0.9", labels: ["release": "canary", "zone": "a"], id: "feed-9")
  static let stable = ConfigClient(ip: "10.0.0.1", labels: ["release": "stable"], id: "feed-1")

  /// A namespace with main release 1 (`timeout=10`) and a draft `timeout=30` published
  /// gray (release 2) to `rule`.
  static func withGray(_ rule: GrayRule, _ body: (ConfigCenter, GrayRelease) async throws -> Void) async throws {
    try await ConfigCenterTests.withCenter { config in
      _ = try await config.saveDraft(app: "feed", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=10\n"))
      _ = try await config.publish(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ana"))
      _ = try await config.saveDraft(app: "feed", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=30\n"))
      let gray = try await config.publishGray(
        app: "feed", cluster: "default", namespace: "application", GrayPublishRequest(rule: rule, author: "ana", comment: "try 30"))
      try await body(config, gray)
    }
  }

  static func seen(_ config: ConfigCenter, by client: ConfigClient?) async throws -> Int? {
    try await config.state(app: "feed", cluster: "default", namespace: "application", for: client).current?.number
  }

  @Test func theSelectedClientsSeeTheGrayReleaseTheOthersTheMain() async throws {
    try await Self.withGray(GrayRule(ips: ["10.0.0.7"], labels: ["release": "canary"])) { config, gray in
      #expect(gray.release.number == 2 && gray.release.kind == "gray" && gray.base == 1 && gray.release.comment == "try 30")
      #expect(try await Self.seen(config, by: Self.canary) == 2, "by label")
      #expect(try await Self.seen(config, by: ConfigClient(ip: "10.0.0.7")) == 2, "by address")
      #expect(try await Self.seen(config, by: Self.stable) == 1)
      #expect(try await Self.seen(config, by: ConfigClient(labels: ["release": "canary-2"])) == 1, "labels match exactly")
      #expect(try await Self.seen(config, by: nil) == 1, "a client that names nothing gets the main release")
      let state = try await config.state(app: "feed", cluster: "default", namespace: "application")
      #expect(state.gray == gray && state.draft == nil, "the state shows the gray release; its draft is consumed")
      #expect(try await config.history(app: "feed", cluster: "default", namespace: "application").map(\.kind) == ["gray", "publish"])
    }
  }

  @Test func aPercentagePicksAStableShareOfClients() async throws {
    try await Self.withGray(GrayRule(percentage: 30)) { config, _ in
      var picked: Set<String> = []
      for index in 0..<1_000 {
        let client = ConfigClient(id: "instance-\(index)")
        if try await Self.seen(config, by: client) == 2 { picked.insert(client.id!) }
      }
      #expect((230...370).contains(picked.count), "about 30 % of 1 000 clients; got \(picked.count)")
      for index in 0..<50 {
        let id = "instance-\(index)"
        #expect(try await Self.seen(config, by: ConfigClient(id: id)) == (picked.contains(id) ? 2 : 1), "the same client, the same answer")
      }
      #expect(try await Self.seen(config, by: ConfigClient(labels: ["release": "canary"])) == 1, "no id and no address: not in a percentage")
    }
  }

  @Test func promotionMakesItTheMainReleaseForEveryone() async throws {
    try await Self.withGray(GrayRule(labels: ["release": "canary"])) { config, _ in
      let promoted = try await config.promoteGray(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ben"))
      #expect(promoted.number == 3 && promoted.kind == "promote" && promoted.promotedFrom == 2 && promoted.content == "timeout=30\n")
      #expect(promoted.comment == "promote gray release 2")
      #expect(try await Self.seen(config, by: Self.stable) == 3)
      #expect(try await Self.seen(config, by: Self.canary) == 3)
      #expect(try await config.state(app: "feed", cluster: "default", namespace: "application").gray == nil)
      await #expect(throws: ConfigError.notFound("feed/default/application has no gray release in force")) {
        try await config.promoteGray(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ben"))
      }
      // A rollback goes to the main release before, past the gray one.
      let rolledBack = try await config.rollback(app: "feed", cluster: "default", namespace: "application", RollbackRequest(author: "ana"))
      #expect(rolledBack.rolledBackTo == 1 && rolledBack.content == "timeout=10\n")
      await #expect(throws: ConfigError.self) {
        try await config.rollback(app: "feed", cluster: "default", namespace: "application", RollbackRequest(to: 2, author: "ana"))
      }
    }
  }

  @Test func abandoningSendsItsClientsBackToTheMainRelease() async throws {
    try await Self.withGray(GrayRule(ips: ["10.0.0.9"])) { config, _ in
      let state = try await config.abandonGray(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ben"))
      #expect(state.gray == nil && state.current?.number == 1)
      #expect(try await Self.seen(config, by: Self.canary) == 1)
      #expect(try await config.history(app: "feed", cluster: "default", namespace: "application").map(\.number) == [2, 1], "history keeps it")
    }
  }

  @Test func aMainReleaseMeanwhileGoesOnButBlocksThePromotion() async throws {
    try await Self.withGray(GrayRule(labels: ["release": "canary"])) { config, _ in
      _ = try await config.saveDraft(app: "feed", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=12\n"))
      let urgent = try await config.publish(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ops"))
      #expect(urgent.number == 3, "one sequence of numbers, gray or main")
      #expect(try await Self.seen(config, by: Self.stable) == 3)
      #expect(try await Self.seen(config, by: Self.canary) == 2, "the gray release stays with its clients")
      let error = await #expect(throws: ConfigError.self) {
        try await config.promoteGray(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ben"))
      }
      #expect(error?.description.contains("moved from 1 to 3") == true, "\(error?.description ?? "")")
      // Publishing gray again replaces it, beside the new main release.
      _ = try await config.saveDraft(app: "feed", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=31\n"))
      let again = try await config.publishGray(
        app: "feed", cluster: "default", namespace: "application", GrayPublishRequest(rule: GrayRule(labels: ["release": "canary"]), author: "ben"))
      #expect(again.release.number == 4 && again.base == 3)
      #expect(try await config.promoteGray(app: "feed", cluster: "default", namespace: "application", PublishRequest(author: "ben")).number == 5)
    }
  }

  @Test(arguments: [
    (GrayRule(), "name ips, labels or a percentage"),
    (GrayRule(percentage: 0), "rule.percentage"),
    (GrayRule(percentage: 101), "rule.percentage"),
    (GrayRule(ips: ["10.0.0.1 10.0.0.2"]), "rule.ips"),
    (GrayRule(labels: ["a:b": "c"]), "rule.labels"),
  ])
  func badRulesAreRefusedWithTheField(rule: GrayRule, reason: String) async throws {
    try await ConfigCenterTests.withCenter { config in
      _ = try await config.saveDraft(app: "feed", cluster: "default", namespace: "application", ConfigDraft(content: "timeout=30\n"))
      let error = await #expect(throws: ConfigError.self) {
        try await config.publishGray(app: "feed", cluster: "default", namespace: "application", GrayPublishRequest(rule: rule, author: "ana"))
      }
      #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }
  }
}
