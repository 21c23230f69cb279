import NIOCore
import Testing
import WeaverTestSupport
@testable import WeaverThrift

/// Byte vectors from Apache Thrift's binary protocol spec (doc/specs/thrift-binary-protocol.md).
@Suite struct BinaryProtocolTests {
  func written(_ body: (inout ThriftBinaryWriter<ByteBuffer>) -> Void) -> String {
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
    let strict = try withBinaryReader("80010002 00000004 70696e67 0000002a") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    #expect(strict == ThriftMessageHeader(name: "ping", type: .reply, sequenceID: 42))
    let old = try withBinaryReader("00000004 70696e67 01 00000007") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    #expect(old == ThriftMessageHeader(name: "ping", type: .call, sequenceID: 7))
    #expect(throws: ThriftProtocolError.self) {
      try withBinaryReader("00000004 70696e67 01 00000007", strictRead: true) { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    }
    let error = #expect(throws: ThriftProtocolError.self) {
      try withBinaryReader("80020001 00000000 00000001") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    }
    #expect(error?.code == .badVersion)
    #expect(throws: ThriftProtocolError.self) {
      try withBinaryReader("80010009 00000000 00000001") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    }
  }

  @Test func readsContainers() throws {
    #expect(try withBinaryReader("08 00000002 00000001 00000002") { reader throws(ThriftProtocolError) in try [Int32](from: &reader) } == [1, 2])
    #expect(try withBinaryReader("0b08 00000001 00000001 61 00000001") { reader throws(ThriftProtocolError) in try [String: Int32](from: &reader) } == ["a": 1])
    let set = try withBinaryReader("0b 00000002 00000001 61 00000001 61") { reader throws(ThriftProtocolError) in try Set<String>(from: &reader) }
    #expect(set == ["a"], "a repeated set element is kept once")
  }

  @Test func readingAdvancesTheBufferByWhatWasRead() throws {
    var buffer = ByteBuffer(hex: "00000001 00000002")
    let first = try ThriftBinaryReader.read(&buffer) { reader throws(ThriftProtocolError) in try reader.readI32() }
    #expect(first == 1 && buffer.readableBytes == 4)
    #expect(throws: ThriftProtocolError.self) {
      try ThriftBinaryReader.read(&buffer) { reader throws(ThriftProtocolError) in try reader.readI64() }
    }
    #expect(buffer.readableBytes == 4, "a failed read consumes nothing")
  }

  @Test func applicationExceptionEncoding() throws {
    let exception = TApplicationException(.unknownMethod, "x")
    let bytes = exception.encoded(protocol: .binary)
    #expect(bytes.hex == "0b0001" + "0000000178" + "080002" + "00000001" + "00")
    #expect(try TApplicationException(decoding: bytes, protocol: .binary) == exception)
    #expect(TApplicationException.Kind(rawValue: 77) == .unrecognized(77))
  }
}
