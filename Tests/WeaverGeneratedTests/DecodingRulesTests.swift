import Foundation
import NIOCore
import Testing
import WeaverThrift

/// How generated code treats what the schema does not promise: missing, unknown, mistyped
/// and malformed fields.
@Suite struct DecodingRulesTests {
  /// A struct written by hand, field by field.
  struct HandWritten: ThriftEncodable {
    var fields: (inout any ThriftProtocolWriter) -> Void

    func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
      var any: any ThriftProtocolWriter = writer
      let scope = any.writeStructBegin()
      fields(&any)
      any.writeFieldStop()
      any.writeStructEnd(scope)
      writer = any as! Writer
    }
  }

  func encodeStruct(_ protocol: ThriftProtocolID, _ fields: @escaping (inout any ThriftProtocolWriter) -> Void) -> ByteBuffer {
    var buffer = ByteBuffer()
    `protocol`.encode(HandWritten(fields: fields), into: &buffer)
    return buffer
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func missingRequiredFieldIsAnError(protocol: ThriftProtocolID) throws {
    let bytes = encodeStruct(`protocol`) { writer in
      writer.writeFieldBegin(.bool, id: 5)
      writer.writeBool(true)
    }
    let error = #expect(throws: ThriftProtocolError.self) { try Requiredness(decoding: bytes, protocol: `protocol`) }
    #expect(error?.code == .invalidData)
    #expect(error?.message == "required field 'must' of Requiredness is missing")
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func absentFieldsTakeTheirDefaults(protocol: ThriftProtocolID) throws {
    let bytes = encodeStruct(`protocol`) { writer in
      writer.writeFieldBegin(.i64, id: 7)
      writer.writeI64(5)
    }
    let decoded = try WithDefaults(decoding: bytes, protocol: `protocol`)
    #expect(decoded == WithDefaults(enabled: nil, id: 5))
    #expect(decoded.count == 10 && decoded.name == "unnamed" && decoded.values == [1, 2, 3])
    // An optional field starts out with its default in a new value, but absent on the wire
    // it stays unset, so a round trip keeps "not set".
    #expect(WithDefaults(id: 5).enabled == true && decoded.enabled == nil)
    #expect(decoded.suit == .hearts && decoded.card == Card(suit: .diamonds, rank: 12) && decoded.ratio == 1)
    #expect(decoded.index == ["odd": [1, 3], "even": []] && decoded.raw == Data("raw".utf8))
    #expect(decoded.ref == UUID(uuidString: "6ba7b811-9dad-11d1-80b4-00c04fd430c8"))
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func unknownAndMistypedFieldsAreSkipped(protocol: ThriftProtocolID) throws {
    // Everything's bytes read as Inner: field 1 (a struct, not an i32) and the rest are skipped.
    let decoded = try Inner(decoding: Samples.everything.encoded(protocol: `protocol`), protocol: `protocol`)
    #expect(decoded == Inner())
    // A struct of a newer schema: known fields survive, unknown ones of every type are skipped.
    let newer = encodeStruct(`protocol`) { writer in
      writer.writeFieldBegin(.list, id: 50)
      Samples.containers.inners.write(to: &writer)
      writer.writeFieldBegin(.i32, id: 1)
      writer.writeI32(77)
      writer.writeFieldBegin(.map, id: 51)
      Samples.containers.byName.write(to: &writer)
      writer.writeFieldBegin(.bool, id: 52)
      writer.writeBool(true)
      writer.writeFieldBegin(.uuid, id: 53)
      writer.writeUUID(UUID())
      writer.writeFieldBegin(.string, id: 2)
      writer.writeString("kept")
    }
    #expect(try Inner(decoding: newer, protocol: `protocol`) == Inner(id: 77, name: "kept"))
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func unknownEnumNumbersAreKept(protocol: ThriftProtocolID) throws {
    var everything = Samples.everything
    everything.color = Color(rawValue: 12345)
    let decoded = try Everything(decoding: everything.encoded(protocol: `protocol`), protocol: `protocol`)
    #expect(decoded.color == .unrecognized(12345))
    #expect(decoded.color.rawValue == 12345)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func unionsNeedExactlyOneField(protocol: ThriftProtocolID) throws {
    let none = encodeStruct(`protocol`) { _ in }
    let noneError = #expect(throws: ThriftProtocolError.self) { try Choice(decoding: none, protocol: `protocol`) }
    #expect(noneError?.message == "union Choice must have exactly one field set, found 0")
    let two = encodeStruct(`protocol`) { writer in
      writer.writeFieldBegin(.i32, id: 1)
      writer.writeI32(1)
      writer.writeFieldBegin(.string, id: 2)
      writer.writeString("two")
    }
    #expect(throws: ThriftProtocolError.invalidUnion("Choice", fieldCount: 2)) { try Choice(decoding: two, protocol: `protocol`) }
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func containerElementTypeMustMatch(protocol: ThriftProtocolID) throws {
    let bytes = encodeStruct(`protocol`) { writer in
      writer.writeFieldBegin(.list, id: 1)
      [Int64(1), 2].write(to: &writer)
    }
    let error = #expect(throws: ThriftProtocolError.self) { try Containers(decoding: bytes, protocol: `protocol`) }
    #expect(error?.code == .invalidData)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func nestingBeyondTheLimitIsRejected(protocol: ThriftProtocolID) throws {
    var list = ListNode(value: 0)
    for value in 1..<100 { list = ListNode(value: Int32(value), next: list) }
    let bytes = list.encoded(protocol: `protocol`)
    #expect(throws: ThriftProtocolError.self) { try ListNode(decoding: bytes, protocol: `protocol`) }
    let deep = try ListNode(decoding: bytes, protocol: `protocol`, limits: ThriftLimits(maxDepth: 100))
    #expect(deep == list)
  }
}
