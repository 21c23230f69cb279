extension RedisClient {
  /// Subscribes to `channels` on a connection of the subscription's own; see ``RedisSubscription``.
  public func subscribe(to channels: [String], bufferLimit: Int = 10_000) async throws(RedisError) -> RedisSubscription {
    try await RedisSubscription.open(
      .channels(channels), node: address, configuration: configuration.connection, bufferLimit: bufferLimit, group: group)
  }

  /// Subscribes to every channel matching one of `patterns` (`PSUBSCRIBE news.*`).
  public func subscribe(toPatterns patterns: [String], bufferLimit: Int = 10_000) async throws(RedisError) -> RedisSubscription {
    try await RedisSubscription.open(
      .patterns(patterns), node: address, configuration: configuration.connection, bufferLimit: bufferLimit, group: group)
  }
}

extension RedisClusterClient {
  /// A primary whose breaker lets calls through, for a subscription's connection.
  private func subscriptionNode() async throws(RedisError) -> RedisNodeAddress {
    let primaries = try await topology().shards.map(\.primary).shuffled()
    for address in primaries where try nodes.node(address).isAvailable { return address }
    guard let any = primaries.first else { throw .clusterUnavailable("the topology has no shards") }
    return any
  }

  private var subscriptionConfiguration: RedisConnectionConfiguration {
    var connection = configuration.connection
    connection.database = 0
    return connection
  }

  /// Subscribes to `channels` through one node the breaker lets through (the cluster
  /// delivers every `PUBLISH` to every node); see ``RedisSubscription``.
  public func subscribe(to channels: [String], bufferLimit: Int = 10_000) async throws(RedisError) -> RedisSubscription {
    try await RedisSubscription.open(
      .channels(channels), node: try await subscriptionNode(), configuration: subscriptionConfiguration,
      bufferLimit: bufferLimit, group: nodes.group)
  }

  /// Subscribes to every channel matching one of `patterns` (`PSUBSCRIBE news.*`).
  public func subscribe(toPatterns patterns: [String], bufferLimit: Int = 10_000) async throws(RedisError) -> RedisSubscription {
    try await RedisSubscription.open(
      .patterns(patterns), node: try await subscriptionNode(), configuration: subscriptionConfiguration,
      bufferLimit: bufferLimit, group: nodes.group)
  }
}

extension RedisCommandExecuting {
  /// `PUBLISH`: sends `message` to `channel`'s subscribers (in a cluster, on every node);
  /// returns how many subscribers received it (in a cluster, those of the node that took it).
  @discardableResult
  public func publish(_ message: some RESPArgument, to channel: String) async throws(RedisError) -> Int {
    var publish = RedisCommand("PUBLISH")
    publish.argument(channel)
    publish.argument(message)
    let reply = try await execute(publish)
    guard let count = reply.int else { throw .unexpectedReply(command: "PUBLISH", reply: reply.brief) }
    return count
  }
}
