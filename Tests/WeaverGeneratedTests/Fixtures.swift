import Foundation
import WeaverThrift

/// Hand-picked values of the cross-check corpus, shared by several suites.
enum Samples {
  static let scalars = Scalars(
    flag: true, tiny: -128, small: -32768, medium: 2_147_483_647, large: -9_223_372_036_854_775_808,
    ratio: -1.5e-300, text: "héllo, wörld ✓ — 你好", blob: Data([0, 1, 2, 0xFE, 0xFF]))

  static let containers = Containers(
    ints: [0, 1, -1, Int32.max, Int32.min], strings: ["", "a", String(repeating: "x", count: 300)],
    flags: [true, false, true], shorts: [7], counters: ["hits": 1_000_000_000_000], matrix: [[1, 2], [], [3]],
    groups: [5: ["five", "cinco"]], inners: [Inner(id: 1, name: "one"), Inner(id: 2, name: "two")],
    byName: ["solo": Inner(id: 9, name: "nine")], tags: ["only"], doubles: [0.0, -0.0, .infinity, 3.25],
    blobs: [Data(), Data([1, 2, 3])], colors: [.red, .blue, .unrecognized(99)])

  static let everything = Everything(
    scalars: scalars, containers: containers, choice: .inner(Inner(id: 3, name: "three")), color: .green,
    requiredness: Requiredness(must: 1, maybe: "perhaps", plain: 2, nested: Inner(id: 4, name: "four"), yes: true),
    failure: Failure(code: 500, reason: "boom"), farField: 1000, negativeField: -7, lastField: true)
}

/// SplitMix64: a tiny, seedable generator so property tests are reproducible.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random values of the cross-check corpus.
struct RandomValues {
  var rng: SeededRandom

  mutating func int<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: return [T.min, T.max, 0, -1 as T? ?? 0].randomElement(using: &rng)!
    case 1: return T(truncatingIfNeeded: Int.random(in: -200...200, using: &rng))
    default: return T(truncatingIfNeeded: rng.next())
    }
  }

  mutating func count(_ limit: Int = 6) -> Int { Int.random(in: 0...limit, using: &rng) }

  mutating func string() -> String {
    let alphabet: [Character] = ["a", "Z", "0", " ", "é", "✓", "你", "\n", "\"", "🙂"]
    return String((0..<count(20)).map { _ in alphabet.randomElement(using: &rng)! })
  }

  mutating func data() -> Data { Data((0..<count(12)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }

  mutating func double() -> Double {
    [0.0, -0.0, 1.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
     Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)].randomElement(using: &rng)!
  }

  mutating func color() -> Color {
    Bool.random(using: &rng) ? Color.allCases.randomElement(using: &rng)! : Color(rawValue: int())
  }

  mutating func inner() -> Inner { Inner(id: int(), name: string()) }

  mutating func scalars() -> Scalars {
    Scalars(flag: .random(using: &rng), tiny: int(), small: int(), medium: int(), large: int(), ratio: double(), text: string(), blob: data())
  }

  mutating func choice() -> Choice {
    switch Int.random(in: 0..<3, using: &rng) {
    case 0: return .number(int())
    case 1: return .word(string())
    default: return .inner(inner())
    }
  }

  mutating func containers() -> Containers {
    Containers(
      ints: (0..<count(20)).map { _ in int() }, strings: (0..<count()).map { _ in string() },
      flags: (0..<count(20)).map { _ in .random(using: &rng) }, shorts: Set((0..<count()).map { _ in int() }),
      counters: Dictionary((0..<count()).map { _ in (string(), int()) }, uniquingKeysWith: { $1 }),
      matrix: (0..<count(3)).map { _ in (0..<count()).map { _ in int() } },
      groups: Dictionary((0..<count(3)).map { _ in (int(), (0..<count(3)).map { _ in string() }) }, uniquingKeysWith: { $1 }),
      inners: (0..<count(3)).map { _ in inner() },
      byName: Dictionary((0..<count(3)).map { _ in (string(), inner()) }, uniquingKeysWith: { $1 }),
      tags: Set((0..<count()).map { _ in string() }), doubles: (0..<count()).map { _ in double() },
      blobs: (0..<count(3)).map { _ in data() }, colors: (0..<count()).map { _ in color() })
  }

  mutating func everything() -> Everything {
    Everything(
      scalars: Bool.random(using: &rng) ? scalars() : nil, containers: containers(), choice: choice(), color: color(),
      requiredness: Requiredness(
        must: int(), maybe: Bool.random(using: &rng) ? string() : nil, plain: int(),
        nested: Bool.random(using: &rng) ? inner() : nil, yes: .random(using: &rng),
        withDefault: Bool.random(using: &rng) ? int() : nil),
      failure: Bool.random(using: &rng) ? Failure(code: int(), reason: string()) : nil,
      farField: int(), negativeField: int(), lastField: .random(using: &rng))
  }
}
