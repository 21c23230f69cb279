import NIOCore
import WeaverTestSupport
import WeaverThrift

/// Runs `body` with a binary reader over the bytes `hex` spells.
func withBinaryReader<T>(
  _ hex: String, limits: ThriftLimits = .default, strictRead: Bool = false,
  _ body: (inout ThriftBinaryReader) throws(ThriftProtocolError) -> T
) throws(ThriftProtocolError) -> T {
  var buffer = ByteBuffer(hex: hex)
  return try ThriftBinaryReader.read(&buffer, limits: limits, strictRead: strictRead, body)
}

/// Runs `body` with a compact reader over the bytes `hex` spells.
func withCompactReader<T>(
  _ hex: String, limits: ThriftLimits = .default, _ body: (inout ThriftCompactReader) throws(ThriftProtocolError) -> T
) throws(ThriftProtocolError) -> T {
  var buffer = ByteBuffer(hex: hex)
  return try ThriftCompactReader.read(&buffer, limits: limits, body)
}
