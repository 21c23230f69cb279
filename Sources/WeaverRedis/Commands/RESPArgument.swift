import NIOCore

/// A value that can be a command's argument: it is sent as a RESP bulk string.
public protocol RESPArgument: Sendable {
  /// Writes the argument's bytes (without the bulk string framing).
  func writeRESPBytes(to buffer: inout ByteBuffer)
}

extension String: RESPArgument {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeString(self) }
}

extension Substring: RESPArgument {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeSubstring(self) }
}

extension ByteBuffer: RESPArgument {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeImmutableBuffer(self) }
}

extension Array: RESPArgument where Element == UInt8 {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeBytes(self) }
}

extension Int: RESPArgument {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeString(String(self)) }
}

extension Int64: RESPArgument {
  public func writeRESPBytes(to buffer: inout ByteBuffer) { buffer.writeString(String(self)) }
}

extension Double: RESPArgument {
  /// `inf`, `-inf` and the shortest decimal that reads back as the same double.
  public func writeRESPBytes(to buffer: inout ByteBuffer) {
    if isInfinite {
      buffer.writeString(self < 0 ? "-inf" : "+inf")
    } else {
      buffer.writeString(String(self))
    }
  }
}
