import NIOCore
import Testing
import WeaverTestSupport
@testable import WeaverThrift

/// Hostile or broken input yields a typed error, never a crash or a large allocation.
@Suite struct MalformedInputTests {
  /// A reader's input, for ``code(_:_:)``.
  struct Input {
    var hex: String
    var compact: Bool
    var limits: ThriftLimits
  }

  func binary(_ hex: String, limits: ThriftLimits = .default) -> Input { Input(hex: hex, compact: false, limits: limits) }
  func compact(_ hex: String, limits: ThriftLimits = .default) -> Input { Input(hex: hex, compact: true, limits: limits) }

  /// The code of the error `body` throws reading `input`, or nil if it succeeds.
  func code(_ input: Input, _ body: (inout any ThriftProtocolReader) throws -> Void) -> ThriftProtocolError.Code? {
    do {
      if input.compact {
        try withCompactReader(input.hex, limits: input.limits) { reader throws(ThriftProtocolError) in
          var any: any ThriftProtocolReader = reader
          do { try body(&any) } catch let error as ThriftProtocolError { throw error } catch { fatalError("\(error)") }
        }
      } else {
        try withBinaryReader(input.hex, limits: input.limits) { reader throws(ThriftProtocolError) in
          var any: any ThriftProtocolReader = reader
          do { try body(&any) } catch let error as ThriftProtocolError { throw error } catch { fatalError("\(error)") }
        }
      }
      return nil
    } catch {
      return error.code
    }
  }

  @Test func stringLengths() {
    #expect(code(binary("ffffffff")) { _ = try $0.readString() } == .negativeSize)
    #expect(code(binary("00000010 6162")) { _ = try $0.readString() } == .endOfInput)
    #expect(code(binary("00000005 6161616161", limits: ThriftLimits(maxStringLength: 4))) { _ = try $0.readString() } == .sizeLimit)
    #expect(code(binary("00000002 c328")) { _ = try $0.readString() } == .invalidData, "invalid UTF-8 is rejected, not repaired")
    #expect(code(compact("ffffffff7f")) { _ = try $0.readString() } == .invalidData, "a varint longer than 32 bits")
    #expect(code(compact("8080808080808080808001")) { _ = try $0.readI64() } == .invalidData, "a varint longer than 10 bytes")
    #expect(code(compact("ffff07")) { _ = try $0.readI16() } == .invalidData, "an i16 out of range")
  }

  @Test func containerCountsCannotOverAllocate() {
    // 16 million elements claimed, four bytes present: fails before reserving anything.
    #expect(code(binary("08 00ffffff 00000001")) { _ = try [Int32](from: &$0) } == .endOfInput)
    #expect(code(binary("08 7fffffff 00000001")) { _ = try [Int32](from: &$0) } == .sizeLimit)
    #expect(code(binary("08 80000000")) { _ = try [Int32](from: &$0) } == .negativeSize)
    #expect(code(binary("0b0b 00ffffff")) { _ = try [String: String](from: &$0) } == .endOfInput)
    #expect(code(binary("08 00000003 000000010000000200000003", limits: ThriftLimits(maxContainerCount: 2))) { _ = try [Int32](from: &$0) } == .sizeLimit)
    #expect(code(compact("f5ffffff07")) { _ = try [Int32](from: &$0) } == .endOfInput)
    #expect(code(compact("ffffffff0f 55")) { _ = try [Int32: Int32](from: &$0) } == .negativeSize)
  }

  @Test func unknownTypeIDs() {
    #expect(code(binary("13 0001")) { _ = try $0.readFieldBegin() } == .invalidData)
    #expect(code(binary("07 00000000")) { _ = try $0.readListBegin() } == .invalidData)
    #expect(code(compact("1e")) { _ = try $0.readFieldBegin() } == .invalidData)
    #expect(code(compact("3f")) { _ = try $0.readListBegin() } == .invalidData)
  }

  @Test func truncatedValues() {
    #expect(code(binary("0001")) { _ = try $0.readI32() } == .endOfInput)
    #expect(code(binary("3ff0")) { _ = try $0.readDouble() } == .endOfInput)
    #expect(code(compact("80")) { _ = try $0.readI32() } == .endOfInput)
    #expect(code(compact("0011")) { _ = try $0.readUUID() } == .endOfInput)
    #expect(code(binary("08")) { _ = try $0.readFieldBegin() } == .endOfInput)
  }

  @Test func fieldIDOverflowInCompactDeltas() {
    // A long-form field id 32767, then a delta of 1: the id would overflow i16.
    #expect(code(compact("05feff03 02 15")) { reader in
      _ = try reader.readFieldBegin()
      _ = try reader.readI32()
      _ = try reader.readFieldBegin()
    } == .invalidData)
  }

  @Test func skipIsBoundedByDepth() {
    // 100 nested structs, each field 1 holding the next.
    let nested = String(repeating: "0c0001", count: 100) + String(repeating: "00", count: 101)
    #expect(code(binary(nested)) { try $0.skip(.struct) } == .depthLimit)
    #expect(code(binary(nested, limits: ThriftLimits(maxDepth: 200))) { try $0.skip(.struct) } == nil)
    #expect(code(binary("00")) { try $0.skip(.stop) } == .invalidData)
  }

  @Test func skippingDeeplyNestedContainersCannotExhaustTheStack() {
    // 100 000 nested lists (each `list<list>` of one element): 500 KB that would recurse
    // 100 000 deep if containers were not counted.
    let binaryNesting = String(repeating: "0f00000001", count: 100_000) + "0800000000"
    #expect(code(binary(binaryNesting)) { try $0.skip(.list) } == .depthLimit)
    let compactNesting = String(repeating: "19", count: 100_000) + "05"
    #expect(code(compact(compactNesting)) { try $0.skip(.list) } == .depthLimit)
    #expect(code(binary(String(repeating: "0f00000001", count: 10) + "0800000000")) { try $0.skip(.list) } == nil)
  }

  @Test func skipHandlesEveryType() throws {
    for `protocol` in ThriftProtocolID.allCases {
      var buffer = ByteBuffer()
      let value: [String: [Set<Int16>]] = ["a": [[1, 2]], "b": []]
      `protocol`.encode(value, into: &buffer)
      `protocol`.encode(Int32(99), into: &buffer)
      let last = code(`protocol` == .binary ? binary(buffer.hex) : compact(buffer.hex)) { reader in
        try reader.skip(.map)
        #expect(try reader.readI32() == 99)
      }
      #expect(last == nil)
    }
  }
}
