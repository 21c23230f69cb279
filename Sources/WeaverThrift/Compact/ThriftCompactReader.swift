import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the Thrift compact protocol: zigzag varints, field-id deltas, bools folded into
/// field headers, little-endian doubles (Apache `doc/specs/thrift-compact-protocol.md`).
///
/// Get one with ``read(_:limits:_:)``.
public struct ThriftCompactReader: ThriftProtocolReader {
  @usableFromInline var input: ThriftInput
  public let limits: ThriftLimits
  @usableFromInline var depth = 0
  @usableFromInline var lastFieldID: Int16 = 0
  /// The value of a bool field whose header was just read (0 none, 1 true, 2 false).
  @usableFromInline var pendingBool: UInt8 = 0

  @inlinable
  init(input: ThriftInput, limits: ThriftLimits) {
    self.input = input
    self.limits = limits
  }

  /// Runs `body` with a reader over `buffer`'s readable bytes, then advances `buffer` past
  /// what was read.
  @inlinable
  public static func read<Result>(
    _ buffer: inout ByteBuffer, limits: ThriftLimits = .default,
    _ body: (inout ThriftCompactReader) throws(ThriftProtocolError) -> Result
  ) throws(ThriftProtocolError) -> Result {
    try withThriftInput(&buffer) { input throws(ThriftProtocolError) in
      var reader = ThriftCompactReader(input: input, limits: limits)
      defer { input = reader.input }
      return try body(&reader)
    }
  }

  @inlinable
  public var bytesRemaining: Int { input.remaining }

  @inlinable
  mutating func readRawByte(_ what: StaticString) throws(ThriftProtocolError) -> UInt8 {
    try input.readByte(what)
  }

  @inlinable
  mutating func readVarint64(_ what: StaticString) throws(ThriftProtocolError) -> UInt64 {
    // Most varints (field ids, lengths, small numbers) are one byte.
    let first = try readRawByte(what)
    if first < 0x80 { return UInt64(first) }
    return try readVarintContinuation(first, what)
  }

  @inlinable
  mutating func readVarintContinuation(_ first: UInt8, _ what: StaticString) throws(ThriftProtocolError) -> UInt64 {
    var result = UInt64(first & 0x7F)
    var shift: UInt64 = 7
    while true {
      let byte = try readRawByte(what)
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
      if shift > 63 { throw ThriftProtocolError(.invalidData, "varint for \(what) is longer than 10 bytes") }
    }
  }

  @inlinable
  mutating func readVarint32(_ what: StaticString) throws(ThriftProtocolError) -> UInt32 {
    let value = try readVarint64(what)
    guard let narrow = UInt32(exactly: value) else {
      throw ThriftProtocolError(.invalidData, "varint for \(what) does not fit in 32 bits")
    }
    return narrow
  }

  public mutating func readMessageBegin() throws(ThriftProtocolError) -> ThriftMessageHeader {
    let protocolID = try readRawByte("protocol id")
    guard protocolID == 0x82 else {
      throw ThriftProtocolError(.badVersion, "expected compact protocol id 0x82, found 0x\(String(protocolID, radix: 16))")
    }
    let versionAndType = try readRawByte("version")
    guard versionAndType & 0x1F == 1 else {
      throw ThriftProtocolError(.badVersion, "unsupported compact protocol version \(versionAndType & 0x1F)")
    }
    guard let type = ThriftMessageType(rawValue: (versionAndType >> 5) & 0x07) else {
      throw ThriftProtocolError(.invalidData, "unknown message type \((versionAndType >> 5) & 0x07)")
    }
    let sequenceID = Int32(bitPattern: try readVarint32("sequence id"))
    let name = try readString()
    return ThriftMessageHeader(name: name, type: type, sequenceID: sequenceID)
  }

  @inlinable
  public mutating func readStructBegin() throws(ThriftProtocolError) -> ThriftStructScope {
    depth += 1
    guard depth <= limits.maxDepth else { throw .depthLimit(limits.maxDepth) }
    let scope = ThriftStructScope(lastFieldID: lastFieldID)
    lastFieldID = 0
    return scope
  }

  @inlinable
  public mutating func readStructEnd(_ scope: ThriftStructScope) {
    depth -= 1
    lastFieldID = scope.lastFieldID
  }

  @inlinable
  public mutating func readFieldBegin() throws(ThriftProtocolError) -> ThriftFieldHeader {
    let byte = try readRawByte("field header")
    let typeID = byte & 0x0F
    if typeID == 0 { return ThriftFieldHeader(type: .stop, id: 0) }
    let type = try ThriftCompactType.type(for: typeID)
    let delta = Int16(byte >> 4)
    let id: Int16
    if delta == 0 {
      id = try readI16()
    } else {
      let (sum, overflow) = lastFieldID.addingReportingOverflow(delta)
      guard !overflow else { throw ThriftProtocolError(.invalidData, "field id delta overflows i16") }
      id = sum
    }
    if type == .bool { pendingBool = typeID }
    lastFieldID = id
    return ThriftFieldHeader(type: type, id: id)
  }

  @inlinable
  mutating func readCollectionHeader(_ what: StaticString) throws(ThriftProtocolError) -> ThriftCollectionHeader {
    let byte = try readRawByte(what)
    let elementType = try ThriftCompactType.type(for: byte & 0x0F)
    var count = Int64(byte >> 4)
    if count == 15 { count = Int64(Int32(bitPattern: try readVarint32(what))) }
    let checked = try checkedCount(
      count, minimumElementSize: ThriftCompactType.minimumSize(of: elementType),
      available: input.remaining, limits: limits, what: what)
    return ThriftCollectionHeader(elementType: elementType, count: checked)
  }

  @inlinable
  public mutating func readListBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    try readCollectionHeader("list")
  }

  @inlinable
  public mutating func readSetBegin() throws(ThriftProtocolError) -> ThriftCollectionHeader {
    try readCollectionHeader("set")
  }

  @inlinable
  public mutating func readMapBegin() throws(ThriftProtocolError) -> ThriftMapHeader {
    let count = Int64(Int32(bitPattern: try readVarint32("map size")))
    if count == 0 { return ThriftMapHeader(keyType: .stop, valueType: .stop, count: 0) }
    let types = try readRawByte("map types")
    let keyType = try ThriftCompactType.type(for: types >> 4)
    let valueType = try ThriftCompactType.type(for: types & 0x0F)
    let checked = try checkedCount(
      count, minimumElementSize: ThriftCompactType.minimumSize(of: keyType) + ThriftCompactType.minimumSize(of: valueType),
      available: input.remaining, limits: limits, what: "map")
    return ThriftMapHeader(keyType: keyType, valueType: valueType, count: checked)
  }

  @inlinable
  public mutating func readBool() throws(ThriftProtocolError) -> Bool {
    if pendingBool != 0 {
      defer { pendingBool = 0 }
      return pendingBool == ThriftCompactType.booleanTrue
    }
    return try readRawByte("bool") == ThriftCompactType.booleanTrue
  }

  @inlinable
  public mutating func readByte() throws(ThriftProtocolError) -> Int8 {
    Int8(bitPattern: try readRawByte("byte"))
  }

  @inlinable
  public mutating func readI16() throws(ThriftProtocolError) -> Int16 {
    let value = ThriftCompactType.unzigzag(try readVarint32("i16"))
    guard let narrow = Int16(exactly: value) else {
      throw ThriftProtocolError(.invalidData, "value \(value) does not fit in i16")
    }
    return narrow
  }

  @inlinable
  public mutating func readI32() throws(ThriftProtocolError) -> Int32 {
    ThriftCompactType.unzigzag(try readVarint32("i32"))
  }

  @inlinable
  public mutating func readI64() throws(ThriftProtocolError) -> Int64 {
    ThriftCompactType.unzigzag(try readVarint64("i64"))
  }

  @inlinable
  public mutating func readDouble() throws(ThriftProtocolError) -> Double {
    Double(bitPattern: try input.readLittleEndian("double"))
  }

  @inlinable
  mutating func readLength() throws(ThriftProtocolError) -> Int {
    try checkedLength(Int64(try readVarint32("string length")), limits: limits)
  }

  @inlinable
  public mutating func readString() throws(ThriftProtocolError) -> String {
    try input.readString(readLength())
  }

  @inlinable
  public mutating func readBinary() throws(ThriftProtocolError) -> Data {
    try input.readData(readLength())
  }

  @inlinable
  public mutating func readBinaryBuffer() throws(ThriftProtocolError) -> ByteBuffer {
    try input.readSlice(readLength())
  }

  @inlinable
  public mutating func readUUID() throws(ThriftProtocolError) -> UUID {
    try input.readUUID()
  }
}
