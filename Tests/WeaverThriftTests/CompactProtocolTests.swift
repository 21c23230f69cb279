import Foundation
import NIOCore
import Testing
import WeaverTestSupport
@testable import WeaverThrift

/// Byte vectors from Apache Thrift's compact protocol spec (doc/specs/thrift-compact-protocol.md).
@Suite struct CompactProtocolTests {
  func written(_ body: (inout ThriftCompactWriter<ByteBuffer>) -> Void) -> String {
    var writer = ThriftCompactWriter(buffer: ByteBuffer())
    body(&writer)
    return writer.buffer.hex
  }

  @Test func integersAreZigzagVarints() {
    #expect(written { $0.writeI32(0) } == "00")
    #expect(written { $0.writeI32(-1) } == "01")
    #expect(written { $0.writeI32(1) } == "02")
    #expect(written { $0.writeI32(150) } == "ac02")
    #expect(written { $0.writeI32(Int32.min) } == "ffffffff0f")
    #expect(written { $0.writeI64(Int64.min) } == "ffffffffffffffffff01")
    #expect(written { $0.writeI16(-64) } == "7f")
    #expect(written { $0.writeByte(-2) } == "fe")
  }

  @Test func doublesAreLittleEndian() {
    #expect(written { $0.writeDouble(1.0) } == "000000000000f03f")
  }

  @Test func stringsHaveVarintLengths() {
    #expect(written { $0.writeString("abc") } == "03616263")
    #expect(written { $0.writeString(String(repeating: "a", count: 200)) }.hasPrefix("c801"))
  }

  @Test func fieldHeadersUseDeltasAndFoldBools() {
    let structBytes = written { writer in
      let scope = writer.writeStructBegin()
      writer.writeFieldBegin(.bool, id: 1)
      writer.writeBool(true)
      writer.writeFieldBegin(.i32, id: 2)
      writer.writeI32(5)
      writer.writeFieldBegin(.i32, id: 20)
      writer.writeI32(5)
      writer.writeFieldBegin(.bool, id: 21)
      writer.writeBool(false)
      writer.writeFieldStop()
      writer.writeStructEnd(scope)
    }
    // 11: bool true, delta 1 · 15 0a: i32, delta 1, 5 · 05 28 0a: long form id 20 · 12: bool false, delta 1
    #expect(structBytes == "11" + "150a" + "05280a" + "12" + "00")
  }

  @Test func nestedStructsRestoreTheLastFieldID() throws {
    let bytes = Samples.nested.encoded(protocol: .compact)
    #expect(try NestedSample(decoding: bytes, protocol: .compact) == Samples.nested)
    // outer field 5 (delta 5, struct c) · inner field 1 (delta 1, i32) · stop · outer field 6 (delta 1, i32)
    #expect(bytes.hex == "5c" + "1502" + "00" + "1504" + "00")
  }

  @Test func collectionHeaders() {
    #expect(written { $0.writeListBegin(.i32, count: 3) } == "35")
    #expect(written { $0.writeListBegin(.i32, count: 15) } == "f50f")
    #expect(written { $0.writeListBegin(.bool, count: 2) } == "21")
    #expect(written { [true, false].write(to: &$0) } == "210102")
    #expect(written { $0.writeMapBegin(keyType: .string, valueType: .i32, count: 0) } == "00")
    #expect(written { ["a": Int32(1)].write(to: &$0) } == "01" + "85" + "0161" + "02")
  }

  @Test func messageHeaders() throws {
    let header = ThriftMessageHeader(name: "ping", type: .call, sequenceID: 1)
    #expect(written { $0.writeMessageBegin(header) } == "822101" + "0470696e67")
    let reply = try withCompactReader("8241ffffffff0f 0470696e67") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    #expect(reply == ThriftMessageHeader(name: "ping", type: .reply, sequenceID: -1))
    #expect(throws: ThriftProtocolError.self) {
      try withCompactReader("8021010470696e67") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    }
    let error = #expect(throws: ThriftProtocolError.self) {
      try withCompactReader("82220104") { reader throws(ThriftProtocolError) in try reader.readMessageBegin() }
    }
    #expect(error?.code == .badVersion)
  }

  @Test func uuidsAreSixteenBytesInBothProtocols() throws {
    let id = UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!
    for `protocol` in ThriftProtocolID.allCases {
      var buffer = ByteBuffer()
      `protocol`.encode(id, into: &buffer)
      #expect(buffer.hex == "00112233445566778899aabbccddeeff")
      #expect(try `protocol`.decode(UUID.self, from: &buffer) == id)
    }
    #expect(ThriftCompactType.id(for: .uuid) == 13)
  }
}

/// A tiny hand-written struct: `struct NestedSample { 5: Inner inner, 6: i32 after }`.
struct NestedSample: ThriftStruct {
  struct Inner: ThriftStruct {
    var value: Int32
    init(value: Int32) { self.value = value }
    init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
      var value: Int32 = 0
      let scope = try reader.readStructBegin()
      while true {
        let field = try reader.readFieldBegin()
        if field.type == .stop { break }
        if field.id == 1 && field.type == .i32 { value = try reader.readI32() } else { try reader.skip(field.type) }
      }
      reader.readStructEnd(scope)
      self.init(value: value)
    }
    func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
      let scope = writer.writeStructBegin()
      writer.writeFieldBegin(.i32, id: 1)
      writer.writeI32(value)
      writer.writeFieldStop()
      writer.writeStructEnd(scope)
    }
  }

  var inner: Inner
  var after: Int32

  init(inner: Inner, after: Int32) {
    self.inner = inner
    self.after = after
  }

  init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    var inner = Inner(value: 0)
    var after: Int32 = 0
    let scope = try reader.readStructBegin()
    while true {
      let field = try reader.readFieldBegin()
      if field.type == .stop { break }
      switch field.id {
      case 5 where field.type == .struct: inner = try Inner(from: &reader)
      case 6 where field.type == .i32: after = try reader.readI32()
      default: try reader.skip(field.type)
      }
    }
    reader.readStructEnd(scope)
    self.init(inner: inner, after: after)
  }

  func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    let scope = writer.writeStructBegin()
    writer.writeFieldBegin(.struct, id: 5)
    inner.write(to: &writer)
    writer.writeFieldBegin(.i32, id: 6)
    writer.writeI32(after)
    writer.writeFieldStop()
    writer.writeStructEnd(scope)
  }
}

enum Samples {
  static let nested = NestedSample(inner: .init(value: 1), after: 2)
}
