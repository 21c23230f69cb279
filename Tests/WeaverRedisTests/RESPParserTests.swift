import NIOCore
import Testing

@testable import WeaverRedis

@Suite struct RESPParserTests {
  /// Every reply of `text`, fed in one piece.
  private func parse(_ text: String, limits: RESPLimits = RESPLimits()) throws -> [RESPValue] {
    var parser = RESPParser(limits: limits)
    var buffer = ByteBuffer(string: text)
    var values: [RESPValue] = []
    while let value = try parser.next(&buffer) { values.append(value) }
    #expect(buffer.readableBytes == 0)
    return values
  }

  /// Every reply of `bytes`, fed split at `cut` (the parser must resume where it stopped).
  private func parseSplit(_ bytes: [UInt8], at cut: Int) throws -> [RESPValue] {
    var parser = RESPParser(limits: RESPLimits())
    var values: [RESPValue] = []
    var buffer = ByteBuffer(bytes: bytes[..<cut])
    while let value = try parser.next(&buffer) { values.append(value) }
    buffer.writeBytes(bytes[cut...])
    while let value = try parser.next(&buffer) { values.append(value) }
    return values
  }

  @Test func readsEveryRESP2Type() throws {
    let values = try parse("+OK\r\n-ERR bad thing\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n*-1\r\n*0\r\n$0\r\n\r\n")
    #expect(
      values == [
        .simpleString("OK"), .error(RedisServerError("ERR bad thing")), .integer(-42), .bulkString(ByteBuffer(string: "hello")),
        .null, .array([.bulkString(ByteBuffer(string: "a")), .integer(1)]), .null, .array([]), .bulkString(ByteBuffer()),
      ])
  }

  @Test func readsEveryRESP3Type() throws {
    let values = try parse(
      "_\r\n#t\r\n#f\r\n,3.25\r\n,inf\r\n(3492890328409238509324850943850943825024385\r\n!9\r\nSYNTAX no\r\n=15\r\ntxt:Some string\r\n%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n~2\r\n+x\r\n+y\r\n>3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n"
    )
    #expect(values.count == 11)
    #expect(values[0] == .null)
    #expect(values[1] == .boolean(true))
    #expect(values[2] == .boolean(false))
    #expect(values[3] == .double(3.25))
    #expect(values[4] == .double(.infinity))
    #expect(values[5] == .bigNumber("3492890328409238509324850943850943825024385"))
    #expect(values[6] == .error(RedisServerError("SYNTAX no")))
    #expect(values[7] == .bulkString(ByteBuffer(string: "Some string")))
    #expect(values[8] == .map([RESPPair(key: .simpleString("a"), value: .integer(1)), RESPPair(key: .simpleString("b"), value: .integer(2))]))
    #expect(values[9] == .set([.simpleString("x"), .simpleString("y")]))
    #expect(values[10] == .push([.simpleString("message"), .simpleString("ch"), .bulkString(ByteBuffer(string: "hi"))]))
  }

  @Test func dropsAttributesAndKeepsTheValueTheyDescribe() throws {
    let values = try parse("|1\r\n+key-popularity\r\n*1\r\n,0.19\r\n*2\r\n:2039123\r\n|1\r\n+ttl\r\n:3600\r\n:9543892\r\n")
    #expect(values == [.array([.integer(2039123), .integer(9543892)])])
  }

  @Test func resumesAtEverySplitPoint() throws {
    let text = "*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n%1\r\n+k\r\n$0\r\n\r\n_\r\n+OK\r\n"
    let whole = try parse(text)
    let bytes = Array(text.utf8)
    for cut in 0...bytes.count {
      #expect(try parseSplit(bytes, at: cut) == whole, "split at \(cut)")
    }
  }

  @Test func aLargeReplyInManySmallReadsIsReadOnce() throws {
    var text = "*10000\r\n"
    for index in 0..<10000 { text += "$\(String(index).count)\r\n\(index)\r\n" }
    var parser = RESPParser(limits: RESPLimits())
    let bytes = Array(text.utf8)
    var buffer = ByteBuffer()
    var result: RESPValue?
    for chunk in stride(from: 0, to: bytes.count, by: 97) {
      buffer.writeBytes(bytes[chunk..<min(bytes.count, chunk + 97)])
      if let value = try parser.next(&buffer) { result = value }
    }
    #expect(result?.elements?.count == 10000)
    #expect(result?.elements?.last?.string == "9999")
  }

  @Test(arguments: [
    ("$10\r\n", "over the limit"),
    ("*2\r\n*2\r\n*2\r\n:1\r\n", "nests deeper"),
    ("?what\r\n", "unknown reply type"),
    (":12x\r\n", "non-digit"),
    (":99999999999999999999\r\n", "overflows"),
    ("+OK\n", "CRLF"),
    ("$3\r\nabcd\r\n", "does not end where its length says"),
    ("*-5\r\n", "negative"),
    ("#x\r\n", "boolean"),
  ])
  func rejectsBadInputWithAReason(input: String, reason: String) {
    var limits = RESPLimits()
    limits.maxBulkLength = 8
    limits.maxDepth = 2
    #expect {
      _ = try parse(input, limits: limits)
    } throws: { error in
      guard case .protocolViolation(let message) = error as? RedisError else { return false }
      return message.contains(reason)
    }
  }

  @Test func anOverlongLineWithoutItsEndIsRejectedBeforeItArrivesWhole() {
    var limits = RESPLimits()
    limits.maxLineLength = 16
    var parser = RESPParser(limits: limits)
    var buffer = ByteBuffer(string: "+" + String(repeating: "a", count: 40))
    #expect(throws: RedisError.self) { _ = try parser.next(&buffer) }
  }

  @Test func anAnnouncedHugeArrayAllocatesNothingUpFront() throws {
    var parser = RESPParser(limits: RESPLimits())
    var buffer = ByteBuffer(string: "*200000000\r\n:1\r\n")
    #expect(try parser.next(&buffer) == nil)
  }
}
