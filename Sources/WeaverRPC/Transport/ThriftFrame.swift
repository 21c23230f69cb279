import NIOCore
import WeaverCore
import WeaverThrift

/// The header fields of a TTHeader or THeader frame.
public struct ThriftFrameHeader: Hashable, Sendable {
  public var sequenceID: Int32
  public var flags: UInt16
  /// String key-value pairs (TTHeader info 0x01, THeader info 0x01).
  public var strings: [String: String]
  /// Integer-keyed pairs (TTHeader info 0x10 only; see ``TTHeaderKey``).
  public var ints: [UInt16: String]
  /// The call's metadata: on the wire, string pairs whose keys carry Kitex's prefixes
  /// (``Metadata/persistentPrefix``, ``Metadata/transientPrefix``). Kept apart from
  /// ``strings`` so neither side builds the prefixed keys. A frame sends `persistent` and
  /// `transient` keys; a received frame holds the transient keys it was sent in
  /// `transientUpstream` (they were for this hop), so it is the receiving call's metadata.
  public var metadata: Metadata

  public init(
    sequenceID: Int32 = 0, flags: UInt16 = 0, strings: [String: String] = [:], ints: [UInt16: String] = [:], metadata: Metadata = Metadata()
  ) {
    self.sequenceID = sequenceID
    self.flags = flags
    self.strings = strings
    self.ints = ints
    self.metadata = metadata
  }
}

/// The integer header keys Kitex uses in TTHeader.
public enum TTHeaderKey {
  public static let transportType: UInt16 = 1
  public static let fromService: UInt16 = 3
  public static let toService: UInt16 = 6
  public static let toMethod: UInt16 = 9
  public static let rpcTimeout: UInt16 = 12
  public static let connectTimeout: UInt16 = 17
  public static let fromMethod: UInt16 = 20
  public static let messageType: UInt16 = 22
}

/// String header keys with a meaning to Kitex and to us.
public enum ThriftHeaderKey {
  /// The IDL service name (Kitex `isn`): selects the service when several share a port.
  public static let idlServiceName = "isn"
  /// Sent by a server that is shutting down: do not reuse this connection (Kitex `crrst`).
  public static let connectionReset = "crrst"
  /// Kitex business status fields on replies.
  public static let bizStatus = "biz-status"
  public static let bizMessage = "biz-message"
  /// Set, with `crrst`, on the last frame a draining server sends on a connection (a
  /// `TApplicationException` for sequence id 0, which no call waits for): every call the
  /// server read from this connection has been answered, and it reads no more. Calls still
  /// waiting for a reply when the connection then closes were not processed, so our client
  /// retries them on another connection.
  public static let drained = "weaver-drained"
}

/// One Thrift message as it travelled: its transport, payload protocol, header (for
/// TTHeader and THeader) and the message itself (message header and struct).
public struct ThriftFrame: Sendable {
  public var transport: ThriftTransport
  public var `protocol`: ThriftProtocolID
  public var header: ThriftFrameHeader?
  /// The Thrift message: `ThriftMessageHeader` then the args or result struct.
  public var message: ByteBuffer

  public init(transport: ThriftTransport, protocol: ThriftProtocolID, header: ThriftFrameHeader? = nil, message: ByteBuffer) {
    self.transport = transport
    self.protocol = `protocol`
    self.header = header
    self.message = message
  }
}

/// Why bytes could not be read as a frame.
public struct ThriftFrameError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
