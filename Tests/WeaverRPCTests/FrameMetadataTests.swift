import NIOCore
import Testing
import WeaverCore
@testable import WeaverRPC
import WeaverTestSupport

/// Call metadata on TTHeader and THeader: written under Kitex's prefixes straight from
/// ``Metadata`` (no prefixed keys built), read back into the receiver's metadata, in a
/// fixed order on the wire whatever the dictionaries' order.
@Suite struct FrameMetadataTests {
  static let metadata = Metadata(transient: ["hop": "one"], persistent: ["release": "canary", "a": "1"])

  static func roundTrip(_ transport: ThriftTransport, _ header: ThriftFrameHeader) throws -> (bytes: String, header: ThriftFrameHeader?) {
    var buffer = ByteBuffer()
    try ThriftFrameCodec.encode(ThriftFrame(transport: transport, protocol: .binary, header: header, message: ByteBuffer(string: "M")), into: &buffer)
    let bytes = buffer.hex
    let frame = try #require(try ThriftFrameCodec.decodeFrame(from: &buffer, transport: transport, maxFrameSize: 1 << 20))
    return (bytes, frame.header)
  }

  @Test(arguments: [ThriftTransport.ttheader, .theader])
  func metadataArrivesAsTheReceiversMetadata(transport: ThriftTransport) throws {
    let sent = ThriftFrameHeader(sequenceID: 3, strings: ["isn": "Echo"], metadata: Self.metadata)
    let received = try #require(try Self.roundTrip(transport, sent).header)
    #expect(received.strings == ["isn": "Echo"], "metadata keys stay out of strings")
    #expect(received.metadata.persistent == ["release": "canary", "a": "1"])
    #expect(received.metadata.transientUpstream == ["hop": "one"], "transient keys were for this hop")
    #expect(received.metadata.transient.isEmpty)
  }

  @Test(arguments: [ThriftTransport.ttheader, .theader])
  func pairsGoInAFixedOrder(transport: ThriftTransport) throws {
    // Plain keys, then persistent, then transient ones, each by key, whatever order the
    // dictionaries hold them in: equal headers give equal bytes.
    let (bytes, _) = try Self.roundTrip(transport, ThriftFrameHeader(sequenceID: 3, strings: ["isn": "Echo"], metadata: Self.metadata))
    let text = String(decoding: ByteBuffer(hex: bytes).readableBytesView, as: UTF8.self)
    let positions = ["isn", "RPC_PERSIST_a", "RPC_PERSIST_release", "RPC_TRANSIT_hop"].map { text.range(of: $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    let again = try Self.roundTrip(transport, ThriftFrameHeader(sequenceID: 3, strings: ["isn": "Echo"], metadata: Self.metadata))
    #expect(again.bytes == bytes)
  }

  @Test func upstreamKeysAreNotForwarded() throws {
    // A received context's upstream keys are not sent on to the next hop.
    let header = ThriftFrameHeader(sequenceID: 1, metadata: Metadata(persistent: ["k": "v"], transientUpstream: ["from": "caller"]))
    let (bytes, received) = try Self.roundTrip(.ttheader, header)
    #expect(!String(decoding: ByteBuffer(hex: bytes).readableBytesView, as: UTF8.self).contains("from"))
    #expect(received?.metadata.persistent == ["k": "v"])
    #expect(received?.metadata.transientUpstream.isEmpty == true)
  }

  @Test func peerPrefixesMatchMetadatas() {
    #expect("\(ReceivedStringPairs.persistentPrefix)" == Metadata.persistentPrefix)
    #expect("\(ReceivedStringPairs.transientPrefix)" == Metadata.transientPrefix)
  }

  @Test func aKeyThatIsOnlyAPrefixIsAnEmptyMetadataKey() throws {
    let header = ThriftFrameHeader(sequenceID: 1, strings: ["RPC_PERSIST": "short", "RPC_PERSIST_": "empty key"])
    let received = try #require(try Self.roundTrip(.theader, header).header)
    #expect(received.strings == ["RPC_PERSIST": "short"])
    #expect(received.metadata.persistent == ["": "empty key"])
  }
}
