import Testing
@testable import WeaverThriftIDL

/// Damaged IDL gets diagnostics, never a crash or a hang.
@Suite struct RobustnessTests {
  static let sample = """
    include "other.thrift"
    namespace swift Demo
    /** Doc. */
    enum E { A = 1, B, C = 0x10 }
    const map<string, list<i32>> M = {"a": [1, 2], "b": []}
    typedef list<E> Es
    struct S { 1: required i32 a = 5, 2: optional map<string, S> children, 3: other.O o (x = "y") }
    union U { 1: S s; 2: string t }
    exception X { 1: string message }
    service Base { void ping() }
    service Svc extends Base { oneway void f(1: i32 a), S g(1: U u) throws (1: X x) }
    """

  @Test func randomDamageNeverCrashes() {
    var state: UInt64 = 0x1DEA_5EED
    func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(bound))
    }
    let alphabet = Array("{}()<>[]:;,=*&\"'#/\\\n 0123456789-+.xeabAZ_".utf8) + [0xC3, 0xFF, 0x00]
    var failures = 0
    for _ in 0..<2_000 {
      var bytes = Array(Self.sample.utf8)
      for _ in 0..<(1 + next(6)) {
        let position = next(bytes.count)
        switch next(3) {
        case 0: bytes[position] = alphabet[next(alphabet.count)]
        case 1: bytes.remove(at: position)
        default: bytes.insert(alphabet[next(alphabet.count)], at: position)
        }
      }
      let text = String(decoding: bytes, as: UTF8.self)
      do {
        _ = try ThriftIDLLoader(readFile: { path in
          path == "/fuzz/main.thrift" ? Array(text.utf8) : path == "/fuzz/other.thrift" ? Array("struct O {}".utf8) : nil
        }).load("/fuzz/main.thrift")
      } catch {
        failures += 1
        #expect(!error.diagnostics.isEmpty)
        #expect(error.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
      }
    }
    #expect(failures > 1_000, "most damage must be noticed")
  }
}
