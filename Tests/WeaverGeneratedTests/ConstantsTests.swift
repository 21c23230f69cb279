import Foundation
import Testing
import WeaverThrift

@Suite struct ConstantsTests {
  @Test func scalarConstants() {
    #expect(tiny == Int8.min && small == Int16.max && medium == -16)
    #expect(large == Int64.max && smallest == Int64.min)
    #expect(pi == 3.14159 && big == 1e100 && fromInt == 7 && negative == -0.0025)
    #expect(yes && !no)
    #expect(greeting == "hello \"world\"\n\ttabbed 'quoted' \\ done")
    #expect(single == "single-quoted")
    #expect(magic == Data("magic\tbytes".utf8))
    #expect(nilID == ThriftDefaults.uuid)
    #expect(someID == UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"))
    #expect(copyOfMedium == medium)
  }

  @Test func containerConstants() {
    #expect(primes == [2, 3, 5, 7, 11])
    #expect(names == ["ann", "bob"], "duplicates in a set literal are dropped")
    #expect(ages == ["ann": 32, "bob": 42], "a repeated map key keeps its last value")
    #expect(nested == [1: ["a"], 2: ["b", "c"], 3: []])
    #expect(emptySet.isEmpty && emptyMap.isEmpty)
  }

  @Test func enumAndStructConstants() {
    #expect(best == .spades && suits == [.clubs, .hearts])
    #expect(ace == Card(suit: .spades, rank: 1))
    #expect(hand == [Card(suit: .hearts, rank: 10), ace])
    #expect(bySuit == [.clubs: Card(suit: .clubs, rank: 2)])
    #expect(defaultSetting == .text("on"))
  }
}
