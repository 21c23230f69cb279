import Foundation
import Synchronization
import Testing
import WeaverThrift

/// Fields and arguments named `string`, `i8`, `list`, … (IDL/BaseTypeNames.thrift).
@Suite struct BaseTypeNameTests {
  static let id = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!
  static let names = BaseTypeNames(
    bool: true, byte: -2, i8: -128, i16: 300, i32: -70_000, i64: Int64.max, double: 2.5, string: "s",
    binary: Data([0, 0xFF]), uuid: id, list: ["a", "b"], map: ["k": 1], set: [-1])

  @Test(arguments: ThriftProtocolID.allCases)
  func fieldsNamedAfterTheirTypesSurviveARoundTrip(protocol: ThriftProtocolID) throws {
    let decoded = try BaseTypeNames(decoding: Self.names.encoded(protocol: `protocol`), protocol: `protocol`)
    #expect(decoded == Self.names)
    #expect(decoded.string == "s" && decoded.i8 == -128 && decoded.uuid == Self.id && decoded.set == [-1])
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func fieldsNamedAfterOtherTypesSurviveARoundTrip(protocol: ThriftProtocolID) throws {
    let defaults = CrossedTypeNames(list: [:])
    #expect(defaults.i32 == "thirty-two" && defaults.string == 7 && defaults.uuid == ["a"])
    #expect(defaults.binary == nil && defaults.map == nil && defaults.double == nil)
    let value = CrossedTypeNames(
      i32: "x", string: -1, binary: Self.id, map: [Self.names, BaseTypeNames()], list: ["l": [1, 2]], uuid: [],
      double: .list([3]))
    #expect(try CrossedTypeNames(decoding: value.encoded(protocol: `protocol`), protocol: `protocol`) == value)
    for union in [BaseTypeUnion.string("s"), .i64(-1), .list([1, 2]), .uuid(Self.id)] {
      #expect(try BaseTypeUnion(decoding: union.encoded(protocol: `protocol`), protocol: `protocol`) == union)
    }
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func argumentsNamedAfterTypesReachTheHandler(protocol: ThriftProtocolID) async throws {
    let handler = BaseTypeHandler()
    let client = BaseTypeService.Client(
      channel: ThriftInProcessChannel(serving: BaseTypeService.serverMethods(for: handler), protocol: `protocol`))
    #expect(try await client.echo(string: "hi", byte: 3, uuid: Self.id) == "hi 3 \(Self.id) 1")
    #expect(try await client.echo(string: "", byte: 0, uuid: Self.id, binary: Data()) == " 0 \(Self.id) 0")
    await #expect(throws: BaseTypeError(string: "no", i32: -5)) {
      try await client.echo(string: "no", byte: -5, uuid: Self.id)
    }
    let mirrored = try await client.mirror(map: Self.names, list: [7], set: nil)
    #expect(mirrored.bool && mirrored.list == ["a", "b", "7"] && mirrored.set == Self.names.set)
    #expect(try await client.mirror(map: BaseTypeNames(), list: [], set: ["x"], bool: false).list == ["x"])
    try await client.send(double: 1.5, i16: 2)
    #expect(handler.sent.withLock { $0 } == [3.5])
  }
}

/// Echoes its arguments; a negative `byte` throws the declared exception.
final class BaseTypeHandler: BaseTypeService.ServiceProtocol {
  let sent = Mutex<[Double]>([])

  func echo(string: String, byte: Int8, uuid: UUID, binary: Data) async throws -> String {
    guard byte >= 0 else { throw BaseTypeError(string: string, i32: Int32(byte)) }
    return "\(string) \(byte) \(uuid) \(binary.count)"
  }

  func mirror(map: BaseTypeNames, list: [Int64], set: Set<String>?, bool: Bool) async throws -> BaseTypeNames {
    var result = map
    result.bool = bool
    result.list = (set.map { Array($0) } ?? result.list) + list.map(String.init)
    return result
  }

  func send(double: Double, i16: Int16) async throws {
    sent.withLock { $0.append(double + Double(i16)) }
  }
}
