import Foundation
import WeaverThrift

/// Apache Thrift's cross-language `ThriftTest` service, as its IDL's comments specify:
/// every method echoes its argument, except the ones that build fixed answers or throw.
struct ThriftTestHandler: ThriftTest.ServiceProtocol {
  func testVoid() async throws {}
  func testString(thing: String) async throws -> String { thing }
  func testBool(thing: Bool) async throws -> Bool { thing }
  func testByte(thing: Int8) async throws -> Int8 { thing }
  func testI32(thing: Int32) async throws -> Int32 { thing }
  func testI64(thing: Int64) async throws -> Int64 { thing }
  func testDouble(thing: Double) async throws -> Double { thing }
  func testBinary(thing: Data) async throws -> Data { thing }
  func testStruct(thing: Xtruct) async throws -> Xtruct { thing }
  func testNest(thing: Xtruct2) async throws -> Xtruct2 { thing }
  func testMap(thing: [Int32: Int32]) async throws -> [Int32: Int32] { thing }
  func testStringMap(thing: [String: String]) async throws -> [String: String] { thing }
  func testSet(thing: Set<Int32>) async throws -> Set<Int32> { thing }
  func testList(thing: [Int32]) async throws -> [Int32] { thing }
  func testEnum(thing: Numberz) async throws -> Numberz { thing }
  func testTypedef(thing: UserID) async throws -> UserID { thing }

  func testMapMap(hello: Int32) async throws -> [Int32: [Int32: Int32]] {
    [-4: [-4: -4, -3: -3, -2: -2, -1: -1], 4: [1: 1, 2: 2, 3: 3, 4: 4]]
  }

  func testInsanity(argument: Insanity) async throws -> [UserID: [Numberz: Insanity]] {
    [1: [.two: argument, .three: argument], 2: [.six: Insanity()]]
  }

  func testMulti(arg0: Int8, arg1: Int32, arg2: Int64, arg3: [Int16: String], arg4: Numberz, arg5: UserID) async throws -> Xtruct {
    Xtruct(stringThing: "Hello2", byteThing: arg0, i32Thing: arg1, i64Thing: arg2)
  }

  func testException(arg: String) async throws {
    switch arg {
    case "Xception": throw Xception(errorCode: 1001, message: arg)
    case "TException": throw TApplicationException(.internalError, "testException(\"TException\")")
    default: return
    }
  }

  func testMultiException(arg0: String, arg1: String) async throws -> Xtruct {
    switch arg0 {
    case "Xception": throw Xception(errorCode: 1001, message: "This is an Xception")
    case "Xception2": throw Xception2(errorCode: 2002, structThing: Xtruct(stringThing: "This is an Xception2"))
    default: return Xtruct(stringThing: arg1)
    }
  }

  func testOneway(secondsToSleep: Int32) async throws {
    try await Task.sleep(for: .seconds(Int(secondsToSleep)))
  }
}

/// The `SecondService` Apache's multiplexed test clients call beside `ThriftTest`.
struct SecondServiceHandler: SecondService.ServiceProtocol {
  func secondtestString(thing: String) async throws -> String {
    "testString(\"\(thing)\")"
  }
}
