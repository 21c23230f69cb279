import Tracing

/// Pipelines over a cluster: split by node and sent in parallel, or kept on one connection.
extension RedisClusterClient {
  /// Splits `commands` by node; each node's share goes in one write, all nodes at once.
  /// Replies come back in the order of `commands`; a command answered `MOVED`, `ASK` or
  /// with a retryable failure is run again on its own with the full redirect handling.
  public func pipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    let results = await splitPipeline(commands)
    metrics.commandsEnded(results)
    return results
  }

  private func splitPipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    guard !commands.isEmpty else { return [] }
    let routing: ClusterRouting
    do {
      routing = try await self.routing()
    } catch {
      return commands.map { _ in .failure(error) }
    }
    var results = [Result<RESPValue, RedisError>?](repeating: nil, count: commands.count)
    // A handful of nodes at most: a linear search by identity beats hashing addresses.
    var batches: [(node: RedisNode, indices: [Int])] = []
    for (index, command) in commands.enumerated() {
      do {
        let node = try target(for: command, in: routing)
        if let batch = batches.firstIndex(where: { $0.node === node }) {
          batches[batch].indices.append(index)
        } else {
          batches.append((node, [index]))
        }
      } catch {
        results[index] = .failure(error)
      }
    }
    // Each node's share in one write, all nodes at once (no child task when one node has
    // them all); commands that come back redirected or failed are run again one by one,
    // with the full redirect handling.
    let replies: [(Int, Result<RESPValue, RedisError>)]
    if batches.count == 1, let only = batches.first {
      replies = await Self.send(commands, at: only.indices, to: only.node)
    } else {
      replies = await withTaskGroup(of: [(Int, Result<RESPValue, RedisError>)].self) { group in
        for batch in batches {
          group.addTask { await Self.send(commands, at: batch.indices, to: batch.node) }
        }
        var all: [(Int, Result<RESPValue, RedisError>)] = []
        for await share in group { all.append(contentsOf: share) }
        return all
      }
    }
    var again: [Int] = []
    for (index, result) in replies {
      switch result {
      case .success(.error(let error)) where error.redirect != nil || error.isRetryable:
        again.append(index)
      case .success(.error(let error)):
        results[index] = .failure(.server(error))
      case .success(let reply):
        results[index] = .success(reply)
      case .failure(let error) where retryReason(error, command: commands[index]) != nil:
        again.append(index)
      case .failure(let error):
        results[index] = .failure(error)
      }
    }
    if !again.isEmpty {
      let retried = await withTaskGroup(of: (Int, Result<RESPValue, RedisError>).self) { group in
        for index in again {
          group.addTask {
            do throws(RedisError) {
              return (index, .success(try await self.executeRouted(commands[index], span: NoOpTracer.NoOpSpan(context: .topLevel))))
            } catch {
              return (index, .failure(error))
            }
          }
        }
        var all: [(Int, Result<RESPValue, RedisError>)] = []
        for await result in group { all.append(result) }
        return all
      }
      for (index, result) in retried { results[index] = result }
    }
    return results.map { $0 ?? .failure(.clientClosed) }
  }

  /// Sends `commands[indices]` to `node` in one write; each index with its reply, or all
  /// with the node's failure.
  private static func send(
    _ commands: [RedisCommand], at indices: [Int], to node: RedisNode
  ) async -> [(Int, Result<RESPValue, RedisError>)] {
    do throws(RedisError) {
      let replies = try await node.send(indices.map { commands[$0] })
      return Array(zip(indices, replies.map { Result<RESPValue, RedisError>.success($0) }))
    } catch {
      return indices.map { ($0, .failure(error)) }
    }
  }

  /// Runs `commands` on one connection of the first command's node (a write and its `WAIT`,
  /// say). If the node cannot be reached (nothing was sent) or the first command comes back
  /// `MOVED`, the whole batch goes again, with backoff, up to the retry limit.
  public func pipelineOnOneConnection(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    let results = await oneConnectionPipeline(commands)
    metrics.commandsEnded(results)
    return results
  }

  private func oneConnectionPipeline(_ commands: [RedisCommand]) async -> [Result<RESPValue, RedisError>] {
    guard let first = commands.first else { return [] }
    var generator = SystemRandomNumberGenerator()
    var attempt = 0
    while true {
      let failure: RedisError
      do throws(RedisError) {
        let node = try target(for: first, in: try await routing())
        let replies = try await node.send(commands)
        if case .error(let error) = replies[0], let redirect = error.redirect, redirect.kind == .moved,
          attempt < options.maxRedirects
        {
          metrics.redirected(.moved)
          statistics.redirected(.moved)
          learn(redirect)
          attempt += 1
          continue
        }
        return replies.map { reply in
          if case .error(let error) = reply { return .failure(.server(error)) }
          return .success(reply)
        }
      } catch {
        failure = error
      }
      guard failure.wasNotSent, attempt < configuration.retry.maxRetries, let reason = retryReason(failure, command: first) else {
        return commands.map { _ in .failure(failure) }
      }
      attempt += 1
      do {
        try await waitBeforeRetry(attempt, reason: reason, using: &generator)
      } catch {
        return commands.map { _ in .failure(error) }
      }
    }
  }
}
