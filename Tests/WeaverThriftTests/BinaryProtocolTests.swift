import NIOCore
import Testing
@testable import WeaverThrift

/// Byte vectors from Apache Thrift's binary protocol spec (doc/specs/thrift-binary-protocol.md).
@Suite struct BinaryProtocolTests {
  func written(_ body: (inout ThriftBinaryWriter) -> Void) -> String {
    var writer = ThriftBinaryWriter(buffer: ByteBuffer())
    body(&writer)
    return writer.buffer.hex
  }

  @Test func scalarsAreBigEndianFixedWidth() {
    #expect(written { $0.writeBool(true) } == "01")
    #expect(written { $0.writeByte(-1) } == "ff")
    #expect(written { $0.writeI16(0x0102) } == "0102")
    #expect(written { $0.writeI32(1) } == "00000001")
    #expect(written { $0.writeI64(-2) } == "fffffffffffffffe")
    #expect(written { $0.writeDouble(1.0) } == "3ff0000000000000")
    #expect(written { $0.writeString("abc") } == "00000003616263")
    #expect(written { $0.writeString("é") } == "00000002c3a9")
  }

  @Test func headersFollowTheSpec() {
    #expect(written { $0.writeFieldBegin(.i32, id: 1) } == "080001")
    #expect(written { $0.writeFieldStop() } == "00")
    #expect(written { $0.writeListBegin(.i32, count: 2) } == "0800000002")
    #expect(written { $0.writeMapBegin(keyType: .string, valueType: .i32, count: 1) } == "0b0800000001")
    #expect(written { $0.writeMessageBegin(ThriftMessageHeader(name: "ping", type: .call, sequenceID: 1)) } == "80010001000000047069" + "6e6700000001")
  }

  @Test func readsStrictAndNonStrictMessageHeaders() throws {
    var strict = ThriftBinaryReader(buffer: ByteBuffer(hex: "80010002 00000004 70696e67 0000002a"))
    #expect(try strict.readMessageBegin() == ThriftMessageHeader(name: "ping", type: .reply, sequenceID: 42))
    var old = ThriftBinaryReader(buffer: ByteBuffer(hex: "00000004 70696e67 01 00000007"))
    #expect(try old.readMessageBegin() == ThriftMessageHeader(name: "ping", type: .call, sequenceID: 7))
    var strictOnly = ThriftBinaryReader(buffer: ByteBuffer(hex: "00000004 70696e67 01 00000007"), strictRead: true)
    #expect(throws: ThriftProtocolError.self) { try strictOnly.readMessageBegin() }
    var badVersion = ThriftBinaryReader(buffer: ByteBuffer(hex: "80020001 00000000 00000001"))
    let error = #expect(throws: ThriftProtocolError.self) { try badVersion.readMessageBegin() }
    #expect(error?.code == .badVersion)
    var badType = ThriftBinaryReader(buffer: ByteBuffer(hex: "80010009 00000000 00000001"))
    #expect(throws: ThriftProtocolError.self) { try badType.readMessageBegin() }
  }

  @Test func readsContainers() throws {
    var reader = ThriftBinaryReader(buffer: ByteBuffer(hex: "08 00000002 00000001 00000002"))
    #expect(try [Int32](from: &reader) == [1, 2])
    var map = ThriftBinaryReader(buffer: ByteBuffer(hex: "0b08 00000001 00000001 61 00000001"))
    #expect(try [String: Int32](from: &map) == ["a": 1])
    var set = ThriftBinaryReader(buffer: ByteBuffer(hex: "0b 00000002 00000001 61 00000001 61"))
    #expect(try Set<String>(from: &set) == ["a"], "a repeated set element is kept once")
  }

  @Test func applicationExceptionEncoding() throws {
    let exception = TApplicationException(.unknownMethod, "x")
    let bytes = exception.encoded(protocol: .binary)
    #expect(bytes.hex == "0b0001" + "0000000178" + "080002" + "00000001" + "00")
    #expect(try TApplicationException(decoding: bytes, protocol: .binary) == exception)
    #expect(TApplicationException.Kind(rawValue: 77) == .unrecognized(77))
  }
}
