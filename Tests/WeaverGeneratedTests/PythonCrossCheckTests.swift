import Foundation
import NIOCore
import Testing
import WeaverTestSupport
import WeaverThrift

/// The corpus both sides build; must match `corpus()` in Tests/PythonPeer/crosscheck.py.
enum CrossCheckCorpus {
  struct Case: Sendable {
    var name: String
    var value: any ThriftStruct
    /// Byte-identical output is expected (no container has more than one unordered element:
    /// Swift and Python iterate sets and dictionaries in different orders).
    var ordered: Bool
    var decode: @Sendable (ByteBuffer, ThriftProtocolID) throws -> any ThriftStruct
  }

  static func make<T: ThriftStruct>(_ name: String, _ value: T, ordered: Bool = true) -> Case {
    Case(name: name, value: value, ordered: ordered, decode: { try T(decoding: $0, protocol: $1) })
  }

  static let inner = Inner(id: 7, name: "seven")
  static let single = Containers(
    ints: [0, 1, -1, Int32.max, Int32.min], strings: ["", "a", String(repeating: "x", count: 300)],
    flags: [true, false, true], shorts: [7], counters: ["hits": 1_000_000_000_000], matrix: [[1, 2], [], [3]],
    groups: [5: ["five", "cinco"]], inners: [Inner(id: 1, name: "one"), Inner(id: 2, name: "two")],
    byName: ["solo": Inner(id: 9, name: "nine")], tags: ["only"], doubles: [0.0, -0.0, .infinity, 3.25],
    blobs: [Data(), Data([1, 2, 3])], colors: [.red, .blue, .unrecognized(99)])
  static let empty = Containers()
  static let multi = Containers(
    ints: Array(-10..<10), strings: (0..<16).map { "s\($0)" }, flags: (0..<17).map { $0 % 3 == 0 },
    shorts: [1, 2, 3, -4], counters: ["a": 1, "b": -2, "c": 3], matrix: (0..<5).map { Array(repeating: Int32($0), count: $0) },
    groups: [1: ["x"], 2: ["y", "z"]], inners: (0..<3).map { Inner(id: Int32($0), name: "\($0)") },
    byName: ["p": Inner(id: 1, name: "p"), "q": Inner(id: 2, name: "q")], tags: ["x", "y", "z"],
    doubles: [1.0, 2.0], blobs: [Data("a".utf8), Data("b".utf8)], colors: Array(repeating: .green, count: 20))
  static let requirednessMin = Requiredness(must: 1, yes: false)
  static let requirednessFull = Requiredness(
    must: -1, maybe: "perhaps", plain: 2, nested: Inner(id: 4, name: "four"), yes: true, withDefault: -42)

  static let cases: [Case] = [
    make("scalars_zero", Scalars()),
    make("scalars_extreme", Samples.scalars),
    make("inner", inner),
    make("choice_number", Choice.number(-5)),
    make("choice_word", Choice.word("word")),
    make("choice_inner", Choice.inner(inner)),
    make("failure", Failure(code: 404, reason: "not found")),
    make("containers_single", single),
    make("containers_empty", empty),
    make("containers_multi", multi, ordered: false),
    make("requiredness_min", requirednessMin),
    make("requiredness_full", requirednessFull),
    make("everything", Everything(
      scalars: Samples.scalars, containers: single, choice: .inner(Inner(id: 3, name: "three")), color: .green,
      requiredness: requirednessFull, failure: Failure(code: 500, reason: "boom"), farField: 1000,
      negativeField: -7, lastField: true)),
    make("everything_sparse", Everything(
      containers: empty, choice: .number(0), color: .red, requiredness: requirednessMin, farField: 0,
      negativeField: 0, lastField: false)),
  ]
}

/// Byte-for-byte agreement with Apache Thrift's Python library, both ways, in both
/// protocols. Needs `thrift` (Debian thrift-compiler) and `pip install thrift`; scripts/test
/// installs both.
@Suite struct PythonCrossCheckTests {
  static let installHint = "Install the peer with scripts/test, or: apt-get install thrift-compiler && python3 -m pip install thrift"

  @Test func encodingsMatchApacheThriftPython() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      var ours: [String: [String: String]] = [:]
      for testCase in CrossCheckCorpus.cases {
        var entry: [String: String] = [:]
        for `protocol` in ThriftProtocolID.allCases {
          entry[`protocol`.description] = testCase.value.encoded(protocol: `protocol`).hex
        }
        ours[testCase.name] = entry
      }
      let swiftFile = directory.appendingPathComponent("swift.json")
      let pythonFile = directory.appendingPathComponent("python.json")
      try JSONSerialization.data(withJSONObject: ours, options: [.sortedKeys]).write(to: swiftFile)
      try await ExternalTool.run(
        ["python3", "Tests/PythonPeer/crosscheck.py", "--idl", "Tests/WeaverGeneratedTests/IDL/CrossCheck.thrift",
         "--swift", swiftFile.path, "--out", pythonFile.path],
        hint: Self.installHint)
      let report = try JSONSerialization.jsonObject(with: Data(contentsOf: pythonFile)) as? [String: [String: String]] ?? [:]
      #expect(Set(report.keys) == Set(CrossCheckCorpus.cases.map(\.name)), "both sides must build the same corpus")

      for testCase in CrossCheckCorpus.cases {
        let theirs = try #require(report[testCase.name], "Python has no case \(testCase.name)")
        for `protocol` in ThriftProtocolID.allCases {
          let name = `protocol`.description
          let pythonHex = try #require(theirs[name])
          // Python decoded what we wrote into an equal value.
          #expect(theirs[name + "Decoded"] == "equal", "\(testCase.name)/\(name): Python decoding our bytes: \(theirs[name + "Decoded"] ?? "nil")")
          // We decode what Python wrote into an equal value.
          let decoded = try testCase.decode(ByteBuffer(hex: pythonHex), `protocol`)
          #expect(AnyHashable(decoded) == AnyHashable(testCase.value), "\(testCase.name)/\(name): decoding Python's bytes")
          if testCase.ordered {
            #expect(ours[testCase.name]?[name] == pythonHex, "\(testCase.name)/\(name): bytes differ from Apache Thrift Python")
          } else {
            #expect(ours[testCase.name]?[name]?.count == pythonHex.count, "\(testCase.name)/\(name): sizes differ")
          }
        }
      }
    }
  }
}
