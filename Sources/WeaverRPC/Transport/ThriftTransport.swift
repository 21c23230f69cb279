/// How Thrift messages are delimited on a connection.
public enum ThriftTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Unframed: the message alone (Apache's TBufferedTransport). The reader parses the
  /// message to find its end.
  case buffered
  /// A 4-byte length, then the message (Apache's TFramedTransport; Kitex's default before
  /// TTHeader).
  case framed
  /// Kitex's TTHeader: a length, magic `0x1000`, flags, sequence id and a header of
  /// key-value metadata, then the message.
  case ttheader
  /// Apache/fbthrift THeader: the same skeleton with magic `0x0FFF` and varint-encoded
  /// header fields. Not wire-compatible with TTHeader.
  case theader

  public var description: String { rawValue }

  /// Whether replies carry their own sequence id in the frame, so several calls can share a
  /// connection and be answered out of order.
  public var isMultiplexed: Bool { self == .ttheader || self == .theader }
}
