import NIOCore

/// Reads RESP2 and RESP3 replies from a byte stream, resuming where it stopped when a reply
/// spans several reads: aggregates already read are kept, so a large reply costs one pass
/// however it is split.
struct RESPParser {
  let limits: RESPLimits

  private enum AggregateKind {
    case array, set, map, push, attribute
  }

  private struct OpenAggregate {
    var kind: AggregateKind
    var remaining: Int
    var values: [RESPValue]
  }

  private enum Token {
    case value(RESPValue)
    case aggregate(AggregateKind, count: Int)
  }

  /// Aggregates begun but not yet complete, outermost first.
  private var open: [OpenAggregate] = []

  init(limits: RESPLimits) {
    self.limits = limits
  }

  /// The next complete reply in `buffer`, or nil when more bytes are needed (what was read
  /// so far is consumed and remembered).
  mutating func next(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
    reading: while true {
      guard let token = try readToken(&buffer) else { return nil }
      var completed: RESPValue
      switch token {
      case .value(let value):
        completed = value
      case .aggregate(let kind, let count):
        if count > 0 {
          guard open.count < limits.maxDepth else {
            throw .protocolViolation("a reply nests deeper than \(limits.maxDepth) levels")
          }
          open.append(OpenAggregate(kind: kind, remaining: count, values: []))
          open[open.count - 1].values.reserveCapacity(min(count, 1024))
          continue reading
        }
        if kind == .attribute { continue reading }
        completed = Self.finish(kind, [])
      }
      // Fold the completed value into the aggregates it closes.
      while let last = open.indices.last {
        open[last].values.append(completed)
        open[last].remaining -= 1
        guard open[last].remaining == 0 else { continue reading }
        let done = open.removeLast()
        // Attributes describe the value that follows, which is read next in their place.
        if done.kind == .attribute { continue reading }
        completed = Self.finish(done.kind, done.values)
      }
      return completed
    }
  }

  private static func finish(_ kind: AggregateKind, _ values: [RESPValue]) -> RESPValue {
    switch kind {
    case .array: return .array(values)
    case .set: return .set(values)
    case .push: return .push(values)
    case .attribute: return .null
    case .map:
      var pairs: [RESPPair] = []
      pairs.reserveCapacity(values.count / 2)
      var index = 0
      while index + 1 < values.count {
        pairs.append(RESPPair(key: values[index], value: values[index + 1]))
        index += 2
      }
      return .map(pairs)
    }
  }

  /// One scalar or aggregate header, or nil (nothing consumed) when it is not all there.
  private func readToken(_ buffer: inout ByteBuffer) throws(RedisError) -> Token? {
    let start = buffer.readerIndex
    guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
    guard let lineEnd = try lineEnd(in: buffer) else { return nil }
    let bodyStart = start + 1
    let bodyLength = lineEnd - bodyStart  // up to the "\r"
    let afterLine = lineEnd + 2
    switch type {
    case UInt8(ascii: "+"):
      let text = buffer.getString(at: bodyStart, length: bodyLength) ?? ""
      buffer.moveReaderIndex(to: afterLine)
      return .value(.simpleString(text))
    case UInt8(ascii: "-"):
      let text = buffer.getString(at: bodyStart, length: bodyLength) ?? ""
      buffer.moveReaderIndex(to: afterLine)
      return .value(.error(RedisServerError(text)))
    case UInt8(ascii: ":"):
      let value = try integer(buffer, at: bodyStart, length: bodyLength)
      buffer.moveReaderIndex(to: afterLine)
      return .value(.integer(value))
    case UInt8(ascii: "_"):
      buffer.moveReaderIndex(to: afterLine)
      return .value(.null)
    case UInt8(ascii: "#"):
      let flag = buffer.getInteger(at: bodyStart, as: UInt8.self)
      guard bodyLength == 1, flag == UInt8(ascii: "t") || flag == UInt8(ascii: "f") else {
        throw .protocolViolation("a boolean reply is neither t nor f")
      }
      buffer.moveReaderIndex(to: afterLine)
      return .value(.boolean(flag == UInt8(ascii: "t")))
    case UInt8(ascii: ","):
      let text = buffer.getString(at: bodyStart, length: bodyLength) ?? ""
      let value: Double? =
        switch text {
        case "inf": .infinity
        case "-inf": -.infinity
        case "nan", "-nan": .nan
        default: Double(text)
        }
      guard let value else { throw .protocolViolation("a double reply is not a number: \(text.prefix(40))") }
      buffer.moveReaderIndex(to: afterLine)
      return .value(.double(value))
    case UInt8(ascii: "("):
      let digits = buffer.getString(at: bodyStart, length: bodyLength) ?? ""
      guard !digits.isEmpty, digits.drop(while: { $0 == "-" }).allSatisfy(\.isNumber) else {
        throw .protocolViolation("a big number reply is not a number")
      }
      buffer.moveReaderIndex(to: afterLine)
      return .value(.bigNumber(digits))
    case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
      let length = try integer(buffer, at: bodyStart, length: bodyLength)
      if length == -1 && type == UInt8(ascii: "$") {
        buffer.moveReaderIndex(to: afterLine)
        return .value(.null)
      }
      guard length >= 0 else { throw .protocolViolation("a string reply announces a negative length") }
      guard length <= limits.maxBulkLength else {
        throw .protocolViolation("a string reply of \(length) bytes is over the limit of \(limits.maxBulkLength)")
      }
      let count = Int(length)
      guard buffer.writerIndex - afterLine >= count + 2 else { return nil }
      guard buffer.getInteger(at: afterLine + count, as: UInt8.self) == UInt8(ascii: "\r"),
        buffer.getInteger(at: afterLine + count + 1, as: UInt8.self) == UInt8(ascii: "\n")
      else { throw .protocolViolation("a string reply does not end where its length says") }
      let value: RESPValue
      switch type {
      case UInt8(ascii: "!"):
        value = .error(RedisServerError(buffer.getString(at: afterLine, length: count) ?? ""))
      case UInt8(ascii: "="):
        // "txt:" or "mkd:" comes first.
        let skip = min(4, count)
        value = .bulkString(buffer.getSlice(at: afterLine + skip, length: count - skip)!)
      default:
        value = .bulkString(buffer.getSlice(at: afterLine, length: count)!)
      }
      buffer.moveReaderIndex(to: afterLine + count + 2)
      return .value(value)
    case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: ">"), UInt8(ascii: "|"):
      let count = try integer(buffer, at: bodyStart, length: bodyLength)
      buffer.moveReaderIndex(to: afterLine)
      if count == -1 && type == UInt8(ascii: "*") { return .value(.null) }
      guard count >= 0 else { throw .protocolViolation("an aggregate reply announces a negative size") }
      guard count <= limits.maxAggregateCount else {
        throw .protocolViolation("an aggregate reply of \(count) elements is over the limit of \(limits.maxAggregateCount)")
      }
      let elements = Int(count)
      switch type {
      case UInt8(ascii: "*"): return .aggregate(.array, count: elements)
      case UInt8(ascii: "~"): return .aggregate(.set, count: elements)
      case UInt8(ascii: ">"): return .aggregate(.push, count: elements)
      case UInt8(ascii: "%"): return .aggregate(.map, count: elements * 2)
      default: return .aggregate(.attribute, count: elements * 2)
      }
    default:
      throw .protocolViolation("unknown reply type byte 0x\(String(type, radix: 16)) — is this a Redis server?")
    }
  }

  /// Where the "\r\n" of the line at the reader index starts, or nil if not all there.
  private func lineEnd(in buffer: ByteBuffer) throws(RedisError) -> Int? {
    let view = buffer.readableBytesView
    guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
      guard view.count <= limits.maxLineLength else {
        throw .protocolViolation("a reply line is longer than \(limits.maxLineLength) bytes")
      }
      return nil
    }
    guard newline > view.startIndex, view[newline - 1] == UInt8(ascii: "\r") else {
      throw .protocolViolation("a reply line does not end with CRLF")
    }
    return newline - 1
  }

  private func integer(_ buffer: ByteBuffer, at index: Int, length: Int) throws(RedisError) -> Int64 {
    guard length > 0, length <= 20, let bytes = buffer.getBytes(at: index, length: length) else {
      throw .protocolViolation("a reply carries an empty or over-long number")
    }
    var negative = false
    var digits = bytes[...]
    if digits.first == UInt8(ascii: "-") {
      negative = true
      digits = digits.dropFirst()
    } else if digits.first == UInt8(ascii: "+") {
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { throw .protocolViolation("a reply carries a sign without digits") }
    var value: Int64 = 0
    for digit in digits {
      guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
        throw .protocolViolation("a reply carries a number with a non-digit")
      }
      let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
      guard !overflow1, !overflow2 else { throw .protocolViolation("a reply carries a number that overflows 64 bits") }
      value = sum
    }
    return negative ? -value : value
  }
}
