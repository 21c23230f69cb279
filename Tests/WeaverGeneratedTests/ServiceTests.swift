import NIOCore
import Synchronization
import Testing
import WeaverThrift

/// A calculator that exercises every kind of method: void, returning, throwing declared and
/// undeclared errors, oneway, inherited.
final class TestCalculator: ScientificCalculator.ServiceProtocol {
  let onewayCalls = Mutex(0)
  struct Undeclared: Error {}

  func getStruct(key: Int32) async throws -> SharedStruct {
    guard key >= 0 else { throw SharedError(message: "no key \(key)") }
    return SharedStruct(key: key, value: "value \(key)")
  }

  func ping() async throws {}

  func add(num1: Int32, num2: Int32) async throws -> Int32 { num1 &+ num2 }

  func calculate(logid: Int32, w: Work) async throws -> Int32 {
    switch w.op {
    case .add: return w.num1 &+ w.num2
    case .subtract: return w.num1 &- w.num2
    case .multiply: return w.num1 &* w.num2
    case .divide:
      guard w.num2 != 0 else { throw InvalidOperation(whatOp: w.op.rawValue, why: "Cannot divide by 0") }
      return w.num1 / w.num2
    case .unrecognized(let raw):
      throw Overloaded(retryAfterMs: raw)
    }
  }

  func zip() async throws { onewayCalls.withLock { $0 += 1 } }

  func history(limit: Int32?) async throws -> [SharedStruct] {
    (0..<(limit ?? 2)).map { SharedStruct(key: $0, value: "#\($0)") }
  }

  func fail(how: String) async throws {
    switch how {
    case "declared": throw InvalidOperation(whatOp: 0, why: how)
    case "application": throw TApplicationException(.unknown, "custom")
    default: throw Undeclared()
    }
  }

  func power(base: Double, exponent: Double) async throws -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
  }
}

@Suite struct ServiceTests {
  let handler = TestCalculator()

  func client(_ protocol: ThriftProtocolID) -> ScientificCalculator.Client<ThriftInProcessChannel> {
    ScientificCalculator.Client(channel: ThriftInProcessChannel(serving: ScientificCalculator.serverMethods(for: handler), protocol: `protocol`))
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func callsReturnValues(protocol: ThriftProtocolID) async throws {
    let client = client(`protocol`)
    try await client.ping()
    #expect(try await client.add(num1: 2, num2: 40) == 42)
    #expect(try await client.calculate(logid: 1, w: Work(num1: 6, num2: 7, op: .multiply)) == 42)
    #expect(try await client.history(limit: 3).map(\.key) == [0, 1, 2])
    #expect(try await client.history(limit: nil).count == 2)
    #expect(try await client.power(base: 2, exponent: 10) == 1024)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func inheritedMethodsWorkThroughEveryLevel(protocol: ThriftProtocolID) async throws {
    let client = client(`protocol`)
    #expect(try await client.getStruct(key: 5) == SharedStruct(key: 5, value: "value 5"))
    await #expect(throws: SharedError(message: "no key -1")) { try await client.getStruct(key: -1) }
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func declaredExceptionsArriveAsThemselves(protocol: ThriftProtocolID) async throws {
    let client = client(`protocol`)
    await #expect(throws: InvalidOperation(whatOp: 4, why: "Cannot divide by 0")) {
      try await client.calculate(logid: 1, w: Work(num1: 1, num2: 0, op: .divide))
    }
    await #expect(throws: Overloaded(retryAfterMs: 77)) {
      try await client.calculate(logid: 1, w: Work(num1: 1, num2: 0, op: .unrecognized(77)))
    }
    await #expect(throws: InvalidOperation(whatOp: 0, why: "declared")) { try await client.fail(how: "declared") }
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func otherErrorsBecomeApplicationExceptions(protocol: ThriftProtocolID) async throws {
    let client = client(`protocol`)
    let undeclared = await #expect(throws: TApplicationException.self) { try await client.fail(how: "other") }
    #expect(undeclared?.kind == .internalError)
    #expect(undeclared?.message.contains("fail") == true)
    let custom = await #expect(throws: TApplicationException.self) { try await client.fail(how: "application") }
    #expect(custom == TApplicationException(.unknown, "custom"))
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func onewayCallsRunAndGetNoReply(protocol: ThriftProtocolID) async throws {
    try await client(`protocol`).zip()
    #expect(handler.onewayCalls.withLock { $0 } == 1)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func dispatcherAnswersUnknownMethodsAndBadArguments(protocol: ThriftProtocolID) async throws {
    let dispatcher = ThriftServiceDispatcher(methods: Calculator.serverMethods(for: handler))
    func call(_ name: String, _ body: (inout ByteBuffer) -> Void) async throws -> (ThriftMessageHeader, TApplicationException?) {
      var request = ByteBuffer()
      `protocol`.writeMessageBegin(ThriftMessageHeader(name: name, type: .call, sequenceID: 9), into: &request)
      body(&request)
      var reply = try #require(await dispatcher.handle(request, protocol: `protocol`))
      let header = try `protocol`.readMessageBegin(from: &reply)
      let exception = header.type == .exception ? try `protocol`.decode(TApplicationException.self, from: &reply) : nil
      return (header, exception)
    }
    let (unknownHeader, unknown) = try await call("nope") { Calculator.AddArgs(num1: 1, num2: 2).encode(into: &$0, protocol: `protocol`) }
    #expect(unknownHeader.sequenceID == 9 && unknownHeader.name == "nope")
    #expect(unknown?.kind == .unknownMethod)

    let (_, truncated) = try await call("add") { $0.writeInteger(UInt8(ThriftType.i32.rawValue)) }
    #expect(truncated?.kind == .protocolError)

    let (multiplexedHeader, noError) = try await call("Calculator:add") { Calculator.AddArgs(num1: 1, num2: 2).encode(into: &$0, protocol: `protocol`) }
    #expect(multiplexedHeader.type == .reply && noError == nil, "TMultiplexedProtocol names route by method")
  }

  @Test func servicesListTheirMethods() {
    let names = ScientificCalculator.serverMethods(for: handler).map(\.name)
    #expect(names == ["getStruct", "ping", "add", "calculate", "zip", "history", "fail", "power"])
    #expect(ScientificCalculator.Method.power.serviceName == "ScientificCalculator")
    #expect(Calculator.Method.zip.isOneway)
    #expect(Empty.serverMethods(for: EmptyHandler()).isEmpty)
  }
}

struct EmptyHandler: Empty.ServiceProtocol {}

/// The keyword-named service: calls work whatever the names.
struct KeywordService: Protocol_.ServiceProtocol {
  func `func`(`in`: Int32, `let`: Int32, `default`: String) async throws -> Int32 { `in` + `let` + Int32(`default`.count) }
  func self_(class: Keywords) async throws {}
  func channel_(init_: KeywordUnion) async throws -> KeywordUnion {
    if case .default(let value) = init_, value < 0 { throw Error_(text: String_(value: "negative")) }
    return init_
  }
}

@Test func keywordNamedServiceWorks() async throws {
  let client = Protocol_.Client(channel: ThriftInProcessChannel(serving: Protocol_.serverMethods(for: KeywordService())))
  #expect(try await client.func(in: 1, let: 2, default: "abc") == 6)
  try await client.self_(class: Keywords())
  #expect(try await client.channel_(init_: .write(3)) == .write(3))
  await #expect(throws: Error_(text: String_(value: "negative"))) { try await client.channel_(init_: .default(-1)) }
}
