/// Bounds a reader enforces so that hostile or broken input cannot exhaust memory or stack.
///
/// Independently of these limits, readers never allocate for more elements or bytes than the
/// input still holds: a header that claims a billion elements in a 1 KB frame fails at once.
public struct ThriftLimits: Hashable, Sendable {
  /// The longest `string` or `binary` value, in bytes.
  public var maxStringLength: Int
  /// The most elements a list, set or map may declare.
  public var maxContainerCount: Int
  /// How deeply structs may nest; also how deeply structs and containers may nest inside an
  /// unknown field that is skipped. Decoding recurses once per level, so keep it modest.
  public var maxDepth: Int

  public init(maxStringLength: Int = 16 << 20, maxContainerCount: Int = 1 << 24, maxDepth: Int = 64) {
    self.maxStringLength = maxStringLength
    self.maxContainerCount = maxContainerCount
    self.maxDepth = maxDepth
  }

  /// 16 MiB strings, 16 Mi elements, depth 64 (Apache Thrift's default recursion limit).
  public static let `default` = ThriftLimits()
}
