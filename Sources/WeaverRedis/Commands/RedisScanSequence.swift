import NIOCore

/// The keys `SCAN` finds, node by node (every primary of a cluster), cursor by cursor, as
/// they come: `for try await key in client.scan(match: "user:*") { … }`. Like `SCAN`
/// itself, a key may come twice, and keys added or removed meanwhile may or may not come.
public struct RedisScanSequence: AsyncSequence, Sendable {
  public typealias Element = ByteBuffer
  public typealias Failure = RedisError

  let client: any RedisCommandExecuting
  let match: String?
  let count: Int?
  let type: String?

  public struct AsyncIterator: AsyncIteratorProtocol {
    let sequence: RedisScanSequence
    var nodes: [RedisNodeAddress]? = nil
    var nodeIndex = 0
    var cursor = "0"
    var started = false
    var buffered: [ByteBuffer] = []
    var bufferedIndex = 0

    public mutating func next() async throws(RedisError) -> ByteBuffer? {
      while true {
        if bufferedIndex < buffered.count {
          defer { bufferedIndex += 1 }
          return buffered[bufferedIndex]
        }
        if nodes == nil { nodes = try await sequence.client.primaryNodes() }
        guard let nodes, nodeIndex < nodes.count else { return nil }
        if started && cursor == "0" {
          nodeIndex += 1
          started = false
          continue
        }
        started = true
        var command = RedisCommand("SCAN", readOnly: true)
        command.argument(cursor)
        if let match = sequence.match {
          command.argument("MATCH")
          command.argument(match)
        }
        if let count = sequence.count {
          command.argument("COUNT")
          command.argument(count)
        }
        if let type = sequence.type {
          command.argument("TYPE")
          command.argument(type)
        }
        let reply = try await sequence.client.execute(command, on: nodes[nodeIndex])
        guard let parts = reply.elements, parts.count == 2, let next = parts[0].string, let keys = parts[1].bytesArray else {
          throw .unexpectedReply(command: "SCAN", reply: reply.brief)
        }
        cursor = next
        buffered = keys
        bufferedIndex = 0
      }
    }

  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(sequence: self)
  }
}

extension RedisCommandExecuting {
  /// Every key matching `match` (a glob, `user:*`), of `type` if given, on every primary;
  /// `count` hints how many keys each round trip looks at.
  public func scan(match: String? = nil, count: Int? = nil, type: String? = nil) -> RedisScanSequence {
    RedisScanSequence(client: self, match: match, count: count, type: type)
  }
}
