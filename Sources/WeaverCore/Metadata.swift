/// Key-value metadata that travels with a call, as Kitex's metainfo does.
///
/// - ``transient`` keys go to the next hop only. A server sees them in
///   ``transientUpstream``; they are not forwarded further.
/// - ``persistent`` keys travel along the whole call chain: a call made while serving a call
///   forwards them automatically (release tags, region affinity, trace context).
///
/// On TTHeader and THeader they ride as string headers prefixed `RPC_TRANSIT_` and
/// `RPC_PERSIST_`, so Kitex services read and forward them too.
public struct Metadata: Hashable, Sendable {
  /// The three dictionaries in one copy-on-write box: a call context is copied at every
  /// stage of a call, and this makes each copy one reference count, not three.
  private final class Storage: Sendable {
    let transient: [String: String]
    let persistent: [String: String]
    let transientUpstream: [String: String]

    init(transient: [String: String], persistent: [String: String], transientUpstream: [String: String]) {
      self.transient = transient
      self.persistent = persistent
      self.transientUpstream = transientUpstream
    }

    static let empty = Storage(transient: [:], persistent: [:], transientUpstream: [:])
  }

  private var storage: Storage

  public var transient: [String: String] {
    get { storage.transient }
    set { storage = Storage(transient: newValue, persistent: storage.persistent, transientUpstream: storage.transientUpstream) }
  }

  public var persistent: [String: String] {
    get { storage.persistent }
    set { storage = Storage(transient: storage.transient, persistent: newValue, transientUpstream: storage.transientUpstream) }
  }

  /// Transient keys the caller sent to this hop.
  public var transientUpstream: [String: String] {
    get { storage.transientUpstream }
    set { storage = Storage(transient: storage.transient, persistent: storage.persistent, transientUpstream: newValue) }
  }

  public init(transient: [String: String] = [:], persistent: [String: String] = [:], transientUpstream: [String: String] = [:]) {
    if transient.isEmpty && persistent.isEmpty && transientUpstream.isEmpty {
      storage = .empty
    } else {
      storage = Storage(transient: transient, persistent: persistent, transientUpstream: transientUpstream)
    }
  }

  public var isEmpty: Bool { transient.isEmpty && persistent.isEmpty && transientUpstream.isEmpty }

  public static func == (lhs: Metadata, rhs: Metadata) -> Bool {
    lhs.storage === rhs.storage
      || (lhs.transient == rhs.transient && lhs.persistent == rhs.persistent && lhs.transientUpstream == rhs.transientUpstream)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(transient)
    hasher.combine(persistent)
    hasher.combine(transientUpstream)
  }

  /// The value of `key`, looked up in persistent, then transient, then upstream keys.
  public subscript(key: String) -> String? {
    persistent[key] ?? transient[key] ?? transientUpstream[key]
  }

  /// The wire prefixes Kitex uses.
  public static let transientPrefix = "RPC_TRANSIT_"
  public static let persistentPrefix = "RPC_PERSIST_"
  /// The prefixes on HTTP/2 (gRPC metadata) and HTTP headers, whose names are lower case:
  /// keys are lowered on the way out.
  public static let httpTransientPrefix = "rpc-transit-"
  public static let httpPersistentPrefix = "rpc-persist-"

  /// The header entries that carry this metadata to the next hop.
  public var headerEntries: [String: String] {
    var entries: [String: String] = [:]
    for (key, value) in transient { entries[Self.transientPrefix + key] = value }
    for (key, value) in persistent { entries[Self.persistentPrefix + key] = value }
    return entries
  }

  /// Metadata as a server receives it from header entries: transient keys become
  /// ``transientUpstream``.
  public init(receivedHeaders headers: [String: String]) {
    self.init()
    for (key, value) in headers {
      // Byte-wise: the prefixes are ASCII, and String's character-wise dropFirst walks
      // grapheme clusters (this runs for every call a server receives).
      let bytes = key.utf8
      if bytes.starts(with: Self.persistentPrefix.utf8) {
        persistent[String(decoding: bytes.dropFirst(Self.persistentPrefix.utf8.count), as: UTF8.self)] = value
      } else if bytes.starts(with: Self.transientPrefix.utf8) {
        transientUpstream[String(decoding: bytes.dropFirst(Self.transientPrefix.utf8.count), as: UTF8.self)] = value
      }
    }
  }
}
