/// How a namespace's content is written.
public enum ConfigFormat: String, Codable, Sendable, Hashable, CaseIterable {
  /// `key=value` lines (`#` and `!` comments), Apollo's default.
  case properties
  case yaml
  case json
  case text
}

/// A namespace's next content, before it is published (`PUT /v1/config/{app}/{cluster}/{namespace}`).
public struct ConfigDraft: Codable, Sendable, Hashable {
  /// Set on the first draft; a namespace keeps its format once it has a release.
  public var format: ConfigFormat?
  public var content: String

  public init(format: ConfigFormat? = nil, content: String) {
    self.format = format
    self.content = content
  }
}

/// Who publishes, and why (`POST …/publish`).
public struct PublishRequest: Codable, Sendable, Hashable {
  public var author: String
  public var comment: String?

  public init(author: String, comment: String? = nil) {
    self.author = author
    self.comment = comment
  }
}

/// Back to an earlier release (`POST …/rollback`): a new release with that one's content.
public struct RollbackRequest: Codable, Sendable, Hashable {
  /// The release to go back to; the one before the current when left out.
  public var to: Int?
  public var author: String
  public var comment: String?

  public init(to: Int? = nil, author: String, comment: String? = nil) {
    self.to = to
    self.author = author
    self.comment = comment
  }
}

/// One immutable, numbered release of a namespace.
public struct ConfigRelease: Codable, Sendable, Hashable {
  public var app: String
  public var cluster: String
  public var namespace: String
  /// 1, 2, 3, … per namespace.
  public var number: Int
  public var format: ConfigFormat
  public var content: String
  public var author: String
  public var comment: String
  /// `publish`, `rollback`, `gray` (to some clients only) or `promote` (a gray release to all).
  public var kind: String
  /// For a rollback: the release whose content it brought back.
  public var rolledBackTo: Int?
  /// For a promotion: the gray release it made the main one.
  public var promotedFrom: Int?
  /// When it was made (ISO 8601, UTC).
  public var createdAt: String

  public init(
    app: String, cluster: String, namespace: String, number: Int, format: ConfigFormat, content: String, author: String,
    comment: String, kind: String, rolledBackTo: Int?, promotedFrom: Int? = nil, createdAt: String
  ) {
    self.app = app
    self.cluster = cluster
    self.namespace = namespace
    self.number = number
    self.format = format
    self.content = content
    self.author = author
    self.comment = comment
    self.kind = kind
    self.rolledBackTo = rolledBackTo
    self.promotedFrom = promotedFrom
    self.createdAt = createdAt
  }
}

/// A namespace as `GET /v1/config/{app}/{cluster}/{namespace}` answers it.
public struct NamespaceState: Codable, Sendable, Hashable {
  public var app: String
  public var cluster: String
  public var namespace: String
  public var format: ConfigFormat
  /// The release in force, if any: the main one, or the gray one for a client the
  /// request named (`?ip=`, `label=`, `client=`) that its rule selects.
  public var current: ConfigRelease?
  /// The gray release beside the main one, if any.
  public var gray: GrayRelease?
  /// Content saved but not published yet, if any.
  public var draft: String?
  /// The store revision this was read at: pass it back as `index` to wait for a change.
  public var index: Int64

  public init(
    app: String, cluster: String, namespace: String, format: ConfigFormat, current: ConfigRelease?, gray: GrayRelease? = nil, draft: String?,
    index: Int64
  ) {
    self.app = app
    self.cluster = cluster
    self.namespace = namespace
    self.format = format
    self.current = current
    self.gray = gray
    self.draft = draft
    self.index = index
  }
}

/// What changed between two releases: per key for properties, JSON and YAML objects of
/// scalars; per line for the rest.
public struct ReleaseDiff: Codable, Sendable, Hashable {
  public struct Change: Codable, Sendable, Hashable {
    /// `added`, `removed` or `changed`.
    public var kind: String
    /// The key (or `line N` for line diffs).
    public var key: String
    public var old: String?
    public var new: String?

    public init(kind: String, key: String, old: String?, new: String?) {
      self.kind = kind
      self.key = key
      self.old = old
      self.new = new
    }
  }

  public var from: Int
  public var to: Int
  public var changes: [Change]

  public init(from: Int, to: Int, changes: [Change]) {
    self.from = from
    self.to = to
    self.changes = changes
  }
}
