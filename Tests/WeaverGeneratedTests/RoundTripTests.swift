import Foundation
import NIOCore
import Testing
import WeaverThrift

@Suite struct RoundTripTests {
  @Test(arguments: ThriftProtocolID.allCases)
  func everythingSurvivesARoundTrip(protocol: ThriftProtocolID) throws {
    let bytes = Samples.everything.encoded(protocol: `protocol`)
    let decoded = try Everything(decoding: bytes, protocol: `protocol`)
    #expect(decoded == Samples.everything)
    #expect(decoded.encoded(protocol: `protocol`).readableBytes == bytes.readableBytes)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func allContainerKindsSurviveARoundTrip(protocol: ThriftProtocolID) throws {
    let card = Card(suit: .hearts, rank: 12)
    let id = UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!
    let value = AllContainers(
      bools: [true, false], bytes: [-1, 0, 1], shorts: [Int16.min], ints: [1], longs: [Int64.max], doubles: [.pi],
      strings: ["s"], blobs: [Data([9])], ids: [id], suits: [.spades, .unrecognized(-3)], cards: [card],
      boolSet: [true], byteSet: [1, 2], doubleSet: [2.5], stringSet: ["a", "b"], blobSet: [Data([1]), Data()],
      suitSet: [.clubs], cardSet: [card], boolMap: [false: true], longDoubleMap: [-1: -1.5],
      stringBlobMap: ["k": Data([0])], blobStringMap: [Data([7, 7]): "v"], hands: [.hearts: [card, card]],
      cardMap: [card: .diamonds], byID: [id: card], cube: [[[1, 2], []], []], mixed: [["x": [1, 2]]],
      keyedByContainers: [[1, 2]: [["a", "b"]: [.clubs, .spades]]], setOfLists: [[[1: "one"]], []],
      threeLevels: ["a": ["b": ["c": 1]]], maybeCards: [], id: id)
    let decoded = try AllContainers(decoding: value.encoded(protocol: `protocol`), protocol: `protocol`)
    #expect(decoded == value)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func recursiveTypesSurviveARoundTrip(protocol: ThriftProtocolID) throws {
    var list = ListNode(value: 0)
    for value in 1...20 { list = ListNode(value: Int32(value), next: list) }
    #expect(try ListNode(decoding: list.encoded(protocol: `protocol`), protocol: `protocol`) == list)

    let tree = TreeNode(label: "root", children: [TreeNode(label: "a"), TreeNode(label: "b", children: [TreeNode(label: "c")])])
    #expect(try TreeNode(decoding: tree.encoded(protocol: `protocol`), protocol: `protocol`) == tree)

    let ping = Ping(count: 1, pong: Pong(count: 2, ping: Ping(count: 3)))
    #expect(try Ping(decoding: ping.encoded(protocol: `protocol`), protocol: `protocol`) == ping)

    let expression = Expression.operation(
      BinaryOperation(operator: "+", left: .literal(1), right: .negated(.operation(BinaryOperation(operator: "*", left: .literal(2), right: .literal(3))))))
    #expect(try Expression(decoding: expression.encoded(protocol: `protocol`), protocol: `protocol`) == expression)
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func keywordNamesSurviveARoundTrip(protocol: ThriftProtocolID) throws {
    var keywords = Keywords()
    keywords.class = 1
    keywords.self_ = 2
    keywords.init_ = 3
    keywords.type = 4
    keywords.default = 5
    keywords.reader = 6
    keywords.hashValue_ = 7
    keywords.case = 8
    #expect(try Keywords(decoding: keywords.encoded(protocol: `protocol`), protocol: `protocol`) == keywords)
    for union in [KeywordUnion.default(1), .self_("s"), .case(.rawValue_), .write(4)] {
      #expect(try KeywordUnion(decoding: union.encoded(protocol: `protocol`), protocol: `protocol`) == union)
    }
    let collisions = Collisions(userID: 1, userId: 2, USER_ID: 3, userID_: 4)
    #expect(try Collisions(decoding: collisions.encoded(protocol: `protocol`), protocol: `protocol`) == collisions)
  }

  @Test func enumCasesKeepTheirNumbers() {
    #expect(KeywordEnum.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
    #expect(KeywordEnum(rawValue: 1) == .self_)
    #expect(KeywordEnum(rawValue: 7) == .me2_2)
    #expect(KeywordEnum(rawValue: 8) == .me22)
    #expect(KeywordEnum(rawValue: 5) == .unrecognized)
    #expect(KeywordEnum(rawValue: 42) == .unrecognized_(42))
    #expect(Color(rawValue: 4) == .blue)
    #expect(Color.unrecognized(4) == .blue, "an unrecognized case holding a known number equals the known case")
  }

  @Test func namesFollowSwiftConventions() {
    let config = HTTPServerConfig(baseURL: "http://x", hostIDs: ["a"], maxQPS: 5, jsonBody: "{}")
    #expect(config.baseURL == "http://x")
    #expect(String_(value: "s").value == "s")
    #expect(Error_(text: String_(value: "t")).text?.value == "t")
  }
}
