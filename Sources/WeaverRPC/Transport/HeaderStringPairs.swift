#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import WeaverCore

/// One string pair of a TTHeader or THeader header as it goes on the wire: a plain key
/// from ``ThriftFrameHeader/strings``, or a metadata key under one of Kitex's prefixes
/// (written as prefix then key, so the prefixed key is never built).
struct HeaderStringPair {
  enum Kind: UInt8 { case plain, persistent, transient }

  var kind: Kind
  var key: String
  var value: String

  var prefix: String {
    switch kind {
    case .plain: ""
    case .persistent: Metadata.persistentPrefix
    case .transient: Metadata.transientPrefix
    }
  }

  /// The length of the key on the wire, prefix included.
  var wireKeyLength: Int { prefix.utf8.count + key.utf8.count }

  /// Writes the key as the wire has it: prefix, then key.
  func writeKey(into buffer: inout ByteBuffer) {
    if kind != .plain { buffer.writeString(prefix) }
    buffer.writeString(key)
  }

  /// The order pairs go on the wire: plain keys, then persistent, then transient ones,
  /// each by key bytes. Any fixed order would do for a peer; a fixed one makes equal
  /// headers equal bytes.
  static func inWireOrder(_ a: HeaderStringPair, _ b: HeaderStringPair) -> Bool {
    if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
    return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
  }
}

extension ThriftFrameHeader {
  /// How many string pairs the header sends: its strings and its metadata.
  var stringPairCount: Int { strings.count + metadata.persistent.count + metadata.transient.count }

  /// Calls `body` with every string pair in wire order, held in temporary (for small
  /// headers, stack) memory: the per-call encode allocates nothing for its header.
  func withStringPairsInWireOrder<R>(_ body: (UnsafeMutableBufferPointer<HeaderStringPair>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: HeaderStringPair.self, capacity: stringPairCount) { pairs in
      var pairs = pairs
      var count = 0
      func append(_ pair: HeaderStringPair) {
        (pairs.baseAddress! + count).initialize(to: pair)
        count += 1
      }
      for (key, value) in strings { append(HeaderStringPair(kind: .plain, key: key, value: value)) }
      for (key, value) in metadata.persistent { append(HeaderStringPair(kind: .persistent, key: key, value: value)) }
      for (key, value) in metadata.transient { append(HeaderStringPair(kind: .transient, key: key, value: value)) }
      defer { if count > 0 { pairs.baseAddress!.deinitialize(count: count) } }
      if count > 1 { pairs.sort(by: HeaderStringPair.inWireOrder) }
      return body(pairs)
    }
  }
}

/// The string pairs of a header being read: metadata keys (by prefix) apart from the rest.
struct ReceivedStringPairs {
  var strings: [String: String] = [:]
  var persistent: [String: String] = [:]
  var transient: [String: String] = [:]

  /// Files one pair. `left` is how many pairs are still to come, this one included: the
  /// first pair into a dictionary makes room for them all, so a header's pairs cost one
  /// allocation per dictionary.
  mutating func receive(key: UnsafeRawBufferPointer, value: String, left: Int) {
    if let name = Self.name(key, after: Self.persistentPrefix) {
      Self.insert(value, at: name, into: &persistent, left: left)
    } else if let name = Self.name(key, after: Self.transientPrefix) {
      Self.insert(value, at: name, into: &transient, left: left)
    } else {
      Self.insert(value, at: String(decoding: key, as: UTF8.self), into: &strings, left: left)
    }
  }

  mutating func receive(key: ByteBuffer, value: String, left: Int) {
    key.withUnsafeReadableBytes { receive(key: $0, value: value, left: left) }
  }

  /// Puts the pairs in `header`: the transient keys a frame was sent are its receiver's
  /// upstream keys.
  func store(in header: inout ThriftFrameHeader) {
    header.strings = strings
    if !persistent.isEmpty || !transient.isEmpty { header.metadata = Metadata(persistent: persistent, transientUpstream: transient) }
  }

  // The prefixes as static bytes (``Metadata``'s, checked equal by the tests): a byte
  // compare per pair, not a generic walk over two views.
  static let persistentPrefix: StaticString = "RPC_PERSIST_"
  static let transientPrefix: StaticString = "RPC_TRANSIT_"

  /// The metadata key in `key` if it starts with `prefix`.
  private static func name(_ key: UnsafeRawBufferPointer, after prefix: StaticString) -> String? {
    let length = prefix.utf8CodeUnitCount
    guard key.count >= length, memcmp(key.baseAddress!, prefix.utf8Start, length) == 0 else { return nil }
    return String(decoding: UnsafeRawBufferPointer(rebasing: key[length...]), as: UTF8.self)
  }

  private static func insert(_ value: String, at key: String, into pairs: inout [String: String], left: Int) {
    // (Dictionary.reserveCapacity is not inlinable, so runs unspecialised: make room by init.)
    if pairs.isEmpty { pairs = Dictionary(minimumCapacity: left) }
    pairs[key] = value
  }
}
