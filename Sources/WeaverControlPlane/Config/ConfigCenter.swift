import Foundation
import WeaverControlPlaneModels
import WeaverCore
import WeaverStore

/// The config center over a ``Store``: namespaces per (app, cluster, namespace), a draft
/// edited then **published** as an immutable numbered release with its author and comment,
/// history, diffs, **rollback** (a new release with an earlier one's content), and a
/// blocking query that waits for the next release. Publishing is one compare-and-set
/// transaction, so two replicas publishing at once cannot both take a number.
public final class ConfigCenter: Sendable {
  public let store: any Store
  let time: TimeSource
  let clock: @Sendable () -> Date
  let stateReads = SharedReads<NamespaceKey, NamespaceState>()

  public init(store: any Store, time: TimeSource = .continuous, clock: @escaping @Sendable () -> Date = Date.init) {
    self.store = store
    self.time = time
    self.clock = clock
  }

  struct Meta: Codable {
    var format: ConfigFormat
  }

  // MARK: Editing and publishing

  /// Saves the namespace's next content (creating the namespace on first use).
  public func saveDraft(app: String, cluster: String, namespace: String, _ draft: ConfigDraft) async throws(ConfigError) -> NamespaceState {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    guard draft.content.utf8.count <= ConfigContent.maxBytes else {
      throw .invalid("content is \(draft.content.utf8.count) bytes; the limit is \(ConfigContent.maxBytes)")
    }
    let existing = try await meta(key)
    let latest = try await latestNumber(key)
    let format = draft.format ?? existing?.format ?? .properties
    if let existing, existing.format != format, latest > 0 {
      throw .invalid("\(key) is \(existing.format.rawValue) and has releases; its format cannot change to \(format.rawValue)")
    }
    try await write([.put(key.meta, try encode(Meta(format: format))), .put(key.draft, Data(draft.content.utf8))])
    return try await state(app: app, cluster: cluster, namespace: namespace)
  }

  /// Publishes the draft as the next release; it must be valid for its format (and, for
  /// the `governance` namespace, valid rules).
  public func publish(app: String, cluster: String, namespace: String, _ request: PublishRequest) async throws(ConfigError) -> ConfigRelease {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    let draft = try await publishableDraft(key, author: request.author)
    return try await commitRelease(key, main: true, draftRevision: draft.revision) { number in
      made(key, number, format: draft.format, content: draft.content, author: request.author, comment: request.comment ?? "", kind: "publish")
    }
  }

  /// The draft about to be published (main or gray), checked: names, author, and content
  /// valid for its format (and, for `governance`, valid rules).
  func publishableDraft(_ key: NamespaceKey, author: String) async throws(ConfigError) -> (format: ConfigFormat, content: String, revision: Int64) {
    try key.validate()
    try Self.validateAuthor(author)
    guard let meta = try await meta(key), let draft = try await read(key.draft) else {
      throw .notFound("\(key) has no draft to publish")
    }
    let content = String(decoding: draft.value, as: UTF8.self)
    try ConfigContent.validate(content, format: meta.format, namespace: key)
    return (meta.format, content, draft.modRevision)
  }

  /// A new release with the content of release `to` (default: the one before the current).
  public func rollback(app: String, cluster: String, namespace: String, _ request: RollbackRequest) async throws(ConfigError) -> ConfigRelease {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    try Self.validateAuthor(request.author)
    let latest = try await latestNumber(key)
    guard latest > 0 else { throw .notFound("\(key) has no release to roll back") }
    let target: Int
    if let to = request.to {
      target = to
    } else {
      // The main release before the current one (gray releases are skipped).
      var candidate = latest - 1
      while candidate >= 1, try await release(key, number: candidate).kind == "gray" { candidate -= 1 }
      target = candidate
    }
    guard target >= 1, target < latest else {
      throw .invalid("rollback goes to an earlier release: 1…\(latest - 1); got \(target)")
    }
    let old = try await release(key, number: target)
    guard old.kind != "gray" else { throw .invalid("release \(target) is a gray release; roll back to a main release") }
    return try await commitRelease(key, main: true, draftRevision: nil) { number in
      made(key, number, format: old.format, content: old.content, author: request.author,
           comment: request.comment ?? "rollback to release \(target)", kind: "rollback", rolledBackTo: target)
    }
  }

  /// A new release's record, dated now.
  func made(
    _ key: NamespaceKey, _ number: Int, format: ConfigFormat, content: String, author: String, comment: String, kind: String,
    rolledBackTo: Int? = nil, promotedFrom: Int? = nil
  ) -> ConfigRelease {
    ConfigRelease(
      app: key.app, cluster: key.cluster, namespace: key.namespace, number: number, format: format, content: content, author: author,
      comment: comment, kind: kind, rolledBackTo: rolledBackTo, promotedFrom: promotedFrom,
      createdAt: ISO8601DateFormatter().string(from: clock()))
  }

  /// Writes the next release (one past the newest number taken, main or gray) in one
  /// transaction, if no one else took a number meanwhile: with `main`, it becomes the
  /// release in force; a published draft is cleared (unless it was edited meanwhile);
  /// `compare` and `also` add conditions and writes of the caller's.
  func commitRelease(
    _ key: NamespaceKey, main: Bool, draftRevision: Int64?, compare more: [Transaction.Comparison] = [],
    also: (Int) throws(ConfigError) -> [Transaction.Operation] = { _ in [] }, _ make: (Int) -> ConfigRelease
  ) async throws(ConfigError) -> ConfigRelease {
    let latest = try await read(key.latest)
    let counter = try await read(key.counter)
    let number = max(Self.number(latest), Self.number(counter)) + 1
    let made = make(number)
    var compare: [Transaction.Comparison] = [
      .modRevision(key.latest, .equal, latest?.modRevision ?? 0), .modRevision(key.counter, .equal, counter?.modRevision ?? 0),
    ] + more
    var operations: [Transaction.Operation] = [.put(key.release(number), try encode(made)), .put(key.counter, Data(String(number).utf8))]
    if main { operations.append(.put(key.latest, Data(String(number).utf8))) }
    if let draftRevision {
      compare.append(.modRevision(key.draft, .equal, draftRevision))
      operations.append(.delete(key.draft))
    }
    operations += try also(number)
    try await commit(key, Transaction(compare: compare, success: operations))
    return made
  }

  /// Commits `transaction`; a failed comparison is a conflict.
  func commit(_ key: NamespaceKey, _ transaction: Transaction) async throws(ConfigError) {
    let result: TransactionResult
    do {
      result = try await store.commit(transaction)
    } catch {
      throw .store(error.description)
    }
    guard result.succeeded else { throw .conflict("\(key) changed while publishing (another publish or edit): read it and try again") }
  }

  /// A number kept as decimal text (0 when absent).
  static func number(_ value: KeyValue?) -> Int {
    value.flatMap { Int(String(decoding: $0.value, as: UTF8.self)) } ?? 0
  }

  // MARK: Reading

  /// The namespace: its format, the release in force, the draft.
  public func state(app: String, cluster: String, namespace: String) async throws(ConfigError) -> NamespaceState {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    let all: RangeResult
    do {
      all = try await store.range(prefix: key.prefix)
    } catch {
      throw .store(error.description)
    }
    let values = Dictionary(all.keyValues.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    guard let metaData = values[key.meta], let meta = try? JSONDecoder().decode(Meta.self, from: metaData) else {
      throw .notFound("no namespace \(key)")
    }
    let releaseNumbered = { (number: Int) in values[key.release(number)].flatMap { try? JSONDecoder().decode(ConfigRelease.self, from: $0) } }
    let current = values[key.latest].flatMap { Int(String(decoding: $0, as: UTF8.self)) }.flatMap(releaseNumbered)
    let gray = values[key.gray].flatMap { try? JSONDecoder().decode(GrayRecord.self, from: $0) }.flatMap { record in
      record.ended == nil ? releaseNumbered(record.number).map { GrayRelease(release: $0, rule: record.rule, base: record.base) } : nil
    }
    return NamespaceState(
      app: key.app, cluster: key.cluster, namespace: key.namespace, format: meta.format, current: current, gray: gray,
      draft: values[key.draft].map { String(decoding: $0, as: UTF8.self) }, index: all.revision)
  }

  /// Every release, newest first.
  public func history(app: String, cluster: String, namespace: String) async throws(ConfigError) -> [ConfigRelease] {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    guard try await meta(key) != nil else { throw .notFound("no namespace \(key)") }
    do {
      return try await store.range(prefix: key.releases).keyValues.reversed().compactMap { try? JSONDecoder().decode(ConfigRelease.self, from: $0.value) }
    } catch {
      throw .store(error.description)
    }
  }

  /// Release `number`.
  public func release(app: String, cluster: String, namespace: String, number: Int) async throws(ConfigError) -> ConfigRelease {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    return try await release(key, number: number)
  }

  /// What changed from release `from` to release `to`.
  public func diff(app: String, cluster: String, namespace: String, from: Int, to: Int) async throws(ConfigError) -> ReleaseDiff {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    let old = try await release(key, number: from)
    let new = try await release(key, number: to)
    return ReleaseDiff(from: from, to: to, changes: ConfigContent.diff(old.content, new.content, format: new.format))
  }

  /// Waits until the namespace changes after revision `index`, or `timeout` passes;
  /// returns the revision of the change (nil: none).
  @discardableResult
  public func waitForChange(app: String, cluster: String, namespace: String, after index: Int64, timeout: Duration) async throws(ConfigError) -> Int64? {
    let key = NamespaceKey(app: app, cluster: cluster, namespace: namespace)
    try key.validate()
    do {
      return try await StoreWaits.waitForChange(in: store, prefix: key.prefix, after: index, timeout: timeout, time: time)
    } catch {
      throw .store(error.description)
    }
  }

  /// ``state(app:cluster:namespace:)`` read at `revision` or later, shared with every
  /// other waiter woken at the same time (one read for a thousand watchers).
  public func sharedState(app: String, cluster: String, namespace: String, atLeast revision: Int64) async throws -> NamespaceState {
    try await stateReads.value(for: NamespaceKey(app: app, cluster: cluster, namespace: namespace), atLeast: revision) {
      let state = try await self.state(app: app, cluster: cluster, namespace: namespace)
      return (state, state.index)
    }
  }

  // MARK: Store access

  func release(_ key: NamespaceKey, number: Int) async throws(ConfigError) -> ConfigRelease {
    guard let value = try await read(key.release(number)), let release = try? JSONDecoder().decode(ConfigRelease.self, from: value.value) else {
      throw .notFound("\(key) has no release \(number)")
    }
    return release
  }

  func meta(_ key: NamespaceKey) async throws(ConfigError) -> Meta? {
    try await read(key.meta).flatMap { try? JSONDecoder().decode(Meta.self, from: $0.value) }
  }

  func latestNumber(_ key: NamespaceKey) async throws(ConfigError) -> Int {
    Self.number(try await read(key.latest))
  }

  func read(_ key: String) async throws(ConfigError) -> KeyValue? {
    do {
      return try await store.get(key)
    } catch {
      throw .store(error.description)
    }
  }

  private func write(_ operations: [Transaction.Operation]) async throws(ConfigError) {
    do {
      try await store.commit(Transaction(success: operations))
    } catch {
      throw .store(error.description)
    }
  }

  func encode(_ value: some Encodable) throws(ConfigError) -> Data {
    do {
      return try JSONEncoder().encode(value)
    } catch {
      throw .invalid("cannot encode: \(error)")
    }
  }

  static func validateAuthor(_ author: String) throws(ConfigError) {
    guard !author.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, author.utf8.count <= 128 else {
      throw .invalid("author must be 1–128 bytes")
    }
  }
}
