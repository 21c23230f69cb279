import NIOCore
import Testing

@testable import WeaverRedis

@Suite struct HashSlotAndCommandTests {
  @Test func crc16IsXmodem() {
    #expect(HashSlot.crc16(Array("123456789".utf8)) == 0x31C3)
  }

  @Test func slotsMatchTheClusterSpecification() {
    #expect(HashSlot.slot(of: "foo") == 12182)
    #expect(HashSlot.slot(of: "bar") == 5061)
    #expect(HashSlot.slot(of: "") == 0)
  }

  @Test func hashTagsFollowTheFirstBracePair() {
    #expect(HashSlot.slot(of: "{user1000}.following") == HashSlot.slot(of: "{user1000}.followers"))
    #expect(HashSlot.slot(of: "{user1000}.following") == HashSlot.slot(of: "user1000"))
    // An empty tag hashes the whole key.
    #expect(HashSlot.slot(of: "foo{}{bar}") == HashSlot.crc16(Array("foo{}{bar}".utf8)) & 16383)
    // The tag ends at the first } after the first {.
    #expect(HashSlot.slot(of: "foo{{bar}}zap") == HashSlot.slot(of: "{bar"))
    #expect(HashSlot.slot(of: "foo{bar}{zap}") == HashSlot.slot(of: "bar"))
    // No closing brace: the whole key.
    #expect(HashSlot.slot(of: "foo{bar") == HashSlot.crc16(Array("foo{bar".utf8)) & 16383)
  }

  @Test func aCommandIsEncodedAsAnArrayOfBulkStrings() {
    var command = RedisCommand("set")
    command.key("k")
    command.argument("héllo")
    command.argument(42)
    var buffer = ByteBuffer()
    command.write(to: &buffer)
    #expect(String(buffer: buffer) == "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nhéllo\r\n$2\r\n42\r\n")
    #expect(command.slot == .slot(HashSlot.slot(of: "k")))
  }

  @Test func keysOfDifferentSlotsMakeACrossSlotCommand() {
    var sameTag = RedisCommand("MGET")
    sameTag.keys(["{u1}:a", "{u1}:b"])
    #expect(sameTag.slot == .slot(HashSlot.slot(of: "u1")))
    var cross = RedisCommand("MGET")
    cross.keys(["foo", "bar"])
    #expect(cross.slot == .crossSlot)
  }

  @Test func rawCommandsFindTheirKeysAsRedisDoes() {
    #expect(RedisCommand("GET", arguments: ["foo"]).slot == .slot(12182))
    #expect(RedisCommand("PING", arguments: []).slot == RedisCommand.Slot.none)
    #expect(RedisCommand("INFO", arguments: ["server"]).slot == RedisCommand.Slot.none)
    #expect(RedisCommand("EVAL", arguments: ["return 1", 1, "bar", "arg"]).slot == .slot(5061))
    #expect(RedisCommand("EVAL", arguments: ["return 1", 0]).slot == RedisCommand.Slot.none)
    #expect(RedisCommand("MSET", arguments: ["{a}1", "x", "{a}2", "y"]).slot == .slot(HashSlot.slot(of: "a")))
    #expect(RedisCommand("DEL", arguments: ["foo", "bar"]).slot == .crossSlot)
    #expect(RedisCommand("SET", arguments: ["bar", "foo"], keyPositions: [2]).slot == .slot(12182))
  }

  @Test func redirectsAreReadFromErrorReplies() {
    #expect(RedisServerError("MOVED 3999 127.0.0.1:6381").redirect == ClusterRedirect(kind: .moved, slot: 3999, node: RedisNodeAddress(host: "127.0.0.1", port: 6381)))
    #expect(RedisServerError("ASK 3999 [::1]:6381").redirect == ClusterRedirect(kind: .ask, slot: 3999, node: RedisNodeAddress(host: "::1", port: 6381)))
    #expect(RedisServerError("MOVED 99999 127.0.0.1:6381").redirect == nil)
    #expect(RedisServerError("ERR wrong").redirect == nil)
    #expect(RedisServerError("TRYAGAIN Multiple keys request during rehashing of slot").isRetryable)
    #expect(RedisServerError("CLUSTERDOWN The cluster is down").isRetryable)
    #expect(!RedisServerError("WRONGTYPE Operation against a key holding the wrong kind of value").isRetryable)
  }

  @Test func backoffStaysWithinItsBounds() {
    let options = RedisRetryOptions()
    var generator = SystemRandomNumberGenerator()
    for retry in 0..<60 {
      let delay = options.backoff(beforeRetry: retry, using: &generator)
      #expect(delay >= .milliseconds(8))
      #expect(delay <= .milliseconds(512))
      if retry == 0 { #expect(delay < .milliseconds(16)) }
    }
  }
}
