import Foundation
import WeaverControlPlaneModels
import WeaverStore

/// The gray release as stored: which release, beside which main one, to whom, and how it
/// ended (kept after it ends, so the end is a change a watcher sees).
struct GrayRecord: Codable {
  var number: Int
  var base: Int?
  var rule: GrayRule
  /// `promoted to release N by AUTHOR` or `abandoned by AUTHOR`; nil while in force.
  var ended: String?
}

/// Gray releases: the draft published to the clients a rule selects (labels, addresses, a
/// percentage), beside the main release, then **promoted** to everyone or **abandoned**.
/// A gray release takes the next number of the namespace's one sequence (kind `gray`);
/// publishing again replaces it; main releases and rollbacks go on meanwhile, but a gray
/// release made beside an older main one cannot be promoted over a newer one.
extension ConfigCenter {
  /// Publishes the draft as the gray release for the clients `request.rule` selects.
  public func publishGray(app: String, cluster: String, namespace: String, _ request: GrayPublishRequest) async throws(ConfigError) -> GrayRelease {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try Self.validate(request.rule)
    let draft = try await publishableDraft(key, author: request.author)
    let base = try await latestNumber(key)
    let release = try await commitRelease(key, main: false, draftRevision: draft.revision) { number throws(ConfigError) in
      [.put(key.gray, try encode(GrayRecord(number: number, base: base > 0 ? base : nil, rule: request.rule)))]
    } _: { number in
      made(key, number, format: draft.format, content: draft.content, author: request.author, comment: request.comment ?? "", kind: "gray")
    }
    return GrayRelease(release: release, rule: request.rule, base: base > 0 ? base : nil)
  }

  /// Makes the gray release the main one (a new release with its content, kind
  /// `promote`), for everyone; refused when the main release moved since it was made.
  public func promoteGray(app: String, cluster: String, namespace: String, _ request: PublishRequest) async throws(ConfigError) -> ConfigRelease {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    try Self.validateAuthor(request.author)
    let (record, revision) = try await grayInForce(key)
    let latest = try await latestNumber(key)
    if let base = record.base, base != latest {
      throw .conflict(
        "\(key): the main release moved from \(base) to \(latest) since gray release \(record.number) was made; abandon it or publish a new gray release")
    }
    let gray = try await release(key, number: record.number)
    var ended = record
    return try await commitRelease(key, main: true, draftRevision: nil, compare: [.modRevision(key.gray, .equal, revision)]) { number throws(ConfigError) in
      ended.ended = "promoted to release \(number) by \(request.author)"
      return [.put(key.gray, try encode(ended))]
    } _: { number in
      made(key, number, format: gray.format, content: gray.content, author: request.author,
           comment: request.comment ?? "promote gray release \(record.number)", kind: "promote", promotedFrom: record.number)
    }
  }

  /// Ends the gray release: its clients go back to the main release.
  public func abandonGray(app: String, cluster: String, namespace: String, _ request: PublishRequest) async throws(ConfigError) -> NamespaceState {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    try Self.validateAuthor(request.author)
    var (record, revision) = try await grayInForce(key)
    record.ended = "abandoned by \(request.author)"
    try await commit(key, Transaction(compare: [.modRevision(key.gray, .equal, revision)], success: [.put(key.gray, try encode(record))]))
    return try await state(app: app, cluster: cluster, namespace: namespace)
  }

  /// The namespace as `client` sees it: ``state(app:cluster:namespace:)`` with the gray
  /// release as the one in force when its rule selects the client.
  public func state(app: String, cluster: String, namespace: String, for client: ConfigClient?) async throws(ConfigError) -> NamespaceState {
    Self.seen(by: client, try await state(app: app, cluster: cluster, namespace: namespace))
  }

  /// `state` with the gray release in force for `client`, when its rule selects it.
  public static func seen(by client: ConfigClient?, _ state: NamespaceState) -> NamespaceState {
    let key = NamespaceKey(app: state.app, cluster: state.cluster, namespace: state.namespace)
    guard let client, let gray = state.gray, gray.rule.matches(client, salt: grayID(key, gray.release.number)) else { return state }
    var seen = state
    seen.current = gray.release
    return seen
  }

  /// What a gray rule's percentage hashes with the client: the namespace and the release.
  static func grayID(_ key: NamespaceKey, _ number: Int) -> String { "\(key)/\(number)" }

  /// The stored gray record (in force or ended) and its revision, if the namespace ever had one.
  func storedGray(_ key: NamespaceKey) async throws(ConfigError) -> (GrayRecord, Int64)? {
    guard let stored = try await read(key.gray), let record = try? JSONDecoder().decode(GrayRecord.self, from: stored.value) else { return nil }
    return (record, stored.modRevision)
  }

  private func grayInForce(_ key: NamespaceKey) async throws(ConfigError) -> (GrayRecord, Int64) {
    guard let (record, revision) = try await storedGray(key), record.ended == nil else {
      throw .notFound("\(key) has no gray release in force")
    }
    return (record, revision)
  }

  static func validate(_ rule: GrayRule) throws(ConfigError) {
    let ips = rule.ips ?? []
    let labels = rule.labels ?? [:]
    guard !ips.isEmpty || !labels.isEmpty || rule.percentage != nil else {
      throw .invalid("rule: name ips, labels or a percentage (a gray release for no one)")
    }
    guard ips.count <= 1_000 else { throw .invalid("rule.ips: at most 1000 addresses; got \(ips.count)") }
    for ip in ips where ip.isEmpty || ip.utf8.count > 64 || ip.contains(where: \.isWhitespace) {
      throw .invalid("rule.ips: '\(ip.prefix(40))' is not an address")
    }
    guard labels.count <= 64 else { throw .invalid("rule.labels: at most 64; got \(labels.count)") }
    for (name, value) in labels where name.isEmpty || name.utf8.count > 256 || value.utf8.count > 256 || name.contains(":") {
      throw .invalid("rule.labels: keys must be 1–256 bytes without ':' and values at most 256 bytes ('\(name.prefix(40))')")
    }
    if let percentage = rule.percentage, !(1...100).contains(percentage) {
      throw .invalid("rule.percentage: must be in 1…100; got \(percentage)")
    }
  }
}
