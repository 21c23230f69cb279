import NIOCore
import Testing
import WeaverThrift

/// Random values round-trip exactly; random damage to valid encodings never crashes the
/// decoder, and whatever fails fails with a ThriftProtocolError.
@Suite struct PropertyTests {
  @Test(arguments: ThriftProtocolID.allCases)
  func randomValuesRoundTrip(protocol: ThriftProtocolID) throws {
    var random = RandomValues(rng: SeededRandom(seed: 0xC10D_3EA7))
    for _ in 0..<300 {
      let value = random.everything()
      let bytes = value.encoded(protocol: `protocol`)
      let decoded = try Everything(decoding: bytes, protocol: `protocol`)
      #expect(decoded == value)
      #expect(decoded.encoded(protocol: `protocol`).readableBytes == bytes.readableBytes)
    }
  }

  @Test(arguments: ThriftProtocolID.allCases)
  func damagedInputFailsCleanly(protocol: ThriftProtocolID) throws {
    var random = RandomValues(rng: SeededRandom(seed: 0xBAD_F00D))
    var failures = 0
    for _ in 0..<1500 {
      let original = Array(random.everything().encoded(protocol: `protocol`).readableBytesView)
      var damaged = original
      switch Int.random(in: 0..<4, using: &random.rng) {
      case 0:  // truncate
        damaged = Array(damaged.prefix(Int.random(in: 0..<damaged.count, using: &random.rng)))
      case 1:  // flip bits
        for _ in 0..<Int.random(in: 1...4, using: &random.rng) {
          damaged[Int.random(in: 0..<damaged.count, using: &random.rng)] ^= UInt8.random(in: 1...255, using: &random.rng)
        }
      case 2:  // overwrite a run with 0xFF (huge lengths and counts)
        let start = Int.random(in: 0..<damaged.count, using: &random.rng)
        for index in start..<min(damaged.count, start + 5) { damaged[index] = 0xFF }
      default:  // random garbage
        damaged = (0..<Int.random(in: 0...64, using: &random.rng)).map { _ in UInt8.random(in: 0...255, using: &random.rng) }
      }
      do {
        _ = try Everything(decoding: ByteBuffer(bytes: damaged), protocol: `protocol`, limits: ThriftLimits(maxStringLength: 4096, maxContainerCount: 4096))
      } catch {
        failures += 1
      }
    }
    #expect(failures > 500, "most damaged inputs should be rejected (typed throws guarantee the error type)")
  }
}
