import NIOCore
import Testing
@testable import WeaverRPC
import WeaverTestSupport
import WeaverThrift

/// Frame layouts checked against byte vectors written from the specs (Kitex can't be built
/// here, so TTHeader is checked this way; THeader also against Apache's Python library).
@Suite struct FrameCodecTests {
  /// seq 1, binary, strings {isn: Echo}, ints {9: echo}, payload "ABCD" (from the Kitex layout:
  /// KEYVALUE block, INTKEYVALUE block, one padding byte to the 4-byte boundary).
  static let ttheaderVector = """
    0000002a 1000 0000 00000001 0007
    00 00
    01 0001 0003 69736e 0004 4563686f
    10 0001 0009 0004 6563686f
    00
    41424344
    """

  static let ttheaderFrame = ThriftFrame(
    transport: .ttheader, protocol: .binary,
    header: ThriftFrameHeader(sequenceID: 1, strings: ["isn": "Echo"], ints: [9: "echo"]),
    message: ByteBuffer(string: "ABCD"))

  @Test func ttheaderEncodesAsKitexDoes() throws {
    var buffer = ByteBuffer()
    try ThriftFrameCodec.encode(Self.ttheaderFrame, into: &buffer)
    #expect(buffer.hex == ByteBuffer(hex: Self.ttheaderVector).hex)
  }

  @Test func ttheaderDecodes() throws {
    var buffer = ByteBuffer(hex: Self.ttheaderVector)
    #expect(try ThriftFrameCodec.detectTransport(buffer) == .ttheader)
    let frame = try #require(try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .ttheader, maxFrameSize: 1 << 20))
    #expect(frame.header == Self.ttheaderFrame.header)
    #expect(frame.protocol == .binary)
    #expect(String(buffer: frame.message) == "ABCD")
    #expect(buffer.readableBytes == 0)
  }

  @Test func ttheaderAcceptsPaddingACLTokensAndCompact() throws {
    // compact (2), padding between blocks, an ACL token block, a string block.
    var buffer = ByteBuffer(hex: """
      00000020 1000 0001 00000007 0005
      02 00 00 00
      11 0003 746f6b
      01 0001 0001 6b 0001 76 00 00
      8221
      """)
    let frame = try #require(try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .ttheader, maxFrameSize: 1 << 20))
    #expect(frame.protocol == .compact)
    #expect(frame.header?.flags == 1 && frame.header?.sequenceID == 7)
    #expect(frame.header?.strings == ["gdpr-token": "tok", "k": "v"])
  }

  @Test(arguments: [
    ("0000000e 1000 0000 00000001 0001 04000000", "protocol id 4"),  // Kitex protobuf
    ("0000000e 1000 0000 00000001 0001 00010100", "transforms"),
    ("0000000e 1000 0000 00000001 0001 00002000", "info id 0x20"),
    ("0000000e 1000 0000 00000001 0009 00000000", "does not fit"),
    ("00000012 1000 0000 00000001 0002 0000 01 0001 0009 00", "truncated"),
  ])
  func ttheaderRejectsWhatKitexRejects(hex: String, message: String) {
    var buffer = ByteBuffer(hex: hex)
    let error = #expect(throws: ThriftFrameError.self) {
      try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .ttheader, maxFrameSize: 1 << 20)
    }
    #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
  }

  @Test func theaderUsesVarints() throws {
    let frame = ThriftFrame(
      transport: .theader, protocol: .compact, header: ThriftFrameHeader(sequenceID: 300, strings: ["k": "v"]),
      message: ByteBuffer(string: "XY"))
    var buffer = ByteBuffer()
    try ThriftFrameCodec.encode(frame, into: &buffer)
    // compact = 2, no transforms, KEYVALUE (1) with one pair, padded to 8 bytes (2 words).
    #expect(buffer.hex == ByteBuffer(hex: "00000014 0fff 0000 0000012c 0002 02 00 01 01 01 6b 01 76 5859").hex)
    #expect(try ThriftFrameCodec.detectTransport(buffer) == .theader)
    let decoded = try #require(try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .theader, maxFrameSize: 1 << 20))
    #expect(decoded.header == frame.header && decoded.protocol == .compact && String(buffer: decoded.message) == "XY")
  }

  @Test func theaderRefusesZlib() {
    var buffer = ByteBuffer(hex: "00000010 0fff 0000 00000001 0001 00 01 01 00 8001")
    #expect(throws: ThriftFrameError.self) { try ThriftFrameCodec.decodeFrame(from: &buffer, transport: .theader, maxFrameSize: 1 << 20) }
  }

  @Test(arguments: [
    ("8001", ThriftTransport?.some(.buffered)), ("8221", .buffered), ("00000010 1000", .ttheader),
    ("00000010 0fff", .theader), ("00000010 8001", .framed), ("00000010 8221", .framed), ("0000", nil), ("80", nil),
  ])
  func transportIsDetectedFromTheFirstBytes(hex: String, transport: ThriftTransport?) throws {
    #expect(try ThriftFrameCodec.detectTransport(ByteBuffer(hex: hex)) == transport)
  }

  @Test func unknownFirstBytesAreRejected() {
    #expect(throws: ThriftFrameError.self) { try ThriftFrameCodec.detectTransport(ByteBuffer(string: "GET / HTTP/1.1")) }
  }

  @Test func incompleteFramesConsumeNothingAndOversizedOnesFail() throws {
    var partial = ByteBuffer(hex: "00000010 8001 0001")
    #expect(try ThriftFrameCodec.decodeFrame(from: &partial, transport: .framed, maxFrameSize: 1 << 20) == nil)
    #expect(partial.readableBytes == 8)
    var huge = ByteBuffer(hex: "7fffffff 8001")
    #expect(throws: ThriftFrameError.self) { try ThriftFrameCodec.decodeFrame(from: &huge, transport: .framed, maxFrameSize: 1 << 20) }
    var empty = ByteBuffer(hex: "00000000")
    #expect(throws: ThriftFrameError.self) { try ThriftFrameCodec.decodeFrame(from: &empty, transport: .framed, maxFrameSize: 1 << 20) }
  }

  @Test func unframedMessagesEndWhereTheirStructEnds() throws {
    var message = ByteBuffer()
    ThriftProtocolID.binary.writeMessageBegin(ThriftMessageHeader(name: "m", type: .call, sequenceID: 1), into: &message)
    message.writeBytes([0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00])  // { 1: i32 5 }
    var twice = message
    twice.writeImmutableBuffer(message)
    var partial = message.getSlice(at: 0, length: message.readableBytes - 1)!
    #expect(try ThriftFrameCodec.decodeFrame(from: &partial, transport: .buffered, maxFrameSize: 1 << 20) == nil)
    let first = try #require(try ThriftFrameCodec.decodeFrame(from: &twice, transport: .buffered, maxFrameSize: 1 << 20))
    #expect(first.message == message && twice.readableBytes == message.readableBytes)
    var tooLong = message.getSlice(at: 0, length: message.readableBytes - 1)!
    #expect(throws: ThriftFrameError.self) { try ThriftFrameCodec.decodeFrame(from: &tooLong, transport: .buffered, maxFrameSize: 8) }
  }
}

extension ThriftFrame: Equatable {
  public static func == (lhs: ThriftFrame, rhs: ThriftFrame) -> Bool {
    lhs.transport == rhs.transport && lhs.protocol == rhs.protocol && lhs.header == rhs.header && lhs.message == rhs.message
  }
}
