/// Why a reader rejected its input. Every decoding failure is one of these; nothing traps.
///
/// The codes mirror Apache Thrift's `TProtocolException` types, plus ``Code/endOfInput`` for
/// input that ends early (Apache reports that as a transport error).
public struct ThriftProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Code: Int32, Hashable, Sendable {
    case unknown = 0
    /// Bytes that no valid encoding produces: unknown type ids, bad UTF-8, overlong varints,
    /// a missing required field, a union with no or several fields.
    case invalidData = 1
    /// A negative length or element count.
    case negativeSize = 2
    /// A length or count over the configured ``ThriftLimits``.
    case sizeLimit = 3
    /// A message header with the wrong protocol id or version.
    case badVersion = 4
    case notImplemented = 5
    /// Structs nested deeper than ``ThriftLimits/maxDepth``.
    case depthLimit = 6
    /// The input ended in the middle of a value.
    case endOfInput = 100
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }

  @usableFromInline @inline(never)
  static func endOfInput(_ what: StaticString, needed: Int, available: Int) -> Self {
    Self(.endOfInput, "input ended while reading \(what): needed \(needed) bytes, \(available) left")
  }

  @usableFromInline @inline(never)
  static func negativeSize(_ what: StaticString, _ size: Int64) -> Self {
    Self(.negativeSize, "negative \(what) size \(size)")
  }

  @usableFromInline @inline(never)
  static func sizeLimit(_ what: StaticString, _ size: Int, limit: Int) -> Self {
    Self(.sizeLimit, "\(what) size \(size) exceeds the limit of \(limit)")
  }

  @usableFromInline @inline(never)
  static func unknownType(_ raw: UInt8) -> Self {
    Self(.invalidData, "unknown type id \(raw)")
  }

  @usableFromInline @inline(never)
  static func tooManyElements(_ what: StaticString, count: Int, available: Int) -> Self {
    Self(.endOfInput, "\(what) declares \(count) elements but only \(available) bytes are left")
  }

  @usableFromInline @inline(never)
  static func depthLimit(_ limit: Int) -> Self {
    Self(.depthLimit, "structs nested deeper than the limit of \(limit)")
  }

  @usableFromInline @inline(never)
  static func invalidUTF8(length: Int) -> Self {
    Self(.invalidData, "string of \(length) bytes is not valid UTF-8")
  }

  /// A required field was absent; generated code throws this.
  @inline(never)
  public static func missingRequiredField(_ field: String, in type: String) -> Self {
    Self(.invalidData, "required field '\(field)' of \(type) is missing")
  }

  /// A union had no field, or more than one; generated code throws this.
  @inline(never)
  public static func invalidUnion(_ type: String, fieldCount: Int) -> Self {
    Self(.invalidData, "union \(type) must have exactly one field set, found \(fieldCount)")
  }

  /// A container's element type on the wire differs from the declared one.
  @usableFromInline @inline(never)
  static func unexpectedElementType(_ found: ThriftType, expected: ThriftType) -> Self {
    Self(.invalidData, "container holds \(found) elements where \(expected) was expected")
  }
}
