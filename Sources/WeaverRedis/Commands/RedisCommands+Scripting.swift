import Crypto
import NIOCore

extension RedisCommandExecuting {
  /// `EVAL`: runs a Lua script with `keys` (which, in a cluster, must share a slot) and
  /// `arguments`; returns what the script returns.
  @discardableResult
  public func eval(_ script: String, keys: [String] = [], arguments: [any RESPArgument] = []) async throws(RedisError) -> RESPValue {
    try await execute(Self.scriptCommand("EVAL", script, keys: keys, arguments: arguments))
  }

  /// `EVALSHA`: runs a script loaded before (`SCRIPT LOAD`) by its SHA-1.
  @discardableResult
  public func evalsha(_ sha1: String, keys: [String] = [], arguments: [any RESPArgument] = []) async throws(RedisError) -> RESPValue {
    try await execute(Self.scriptCommand("EVALSHA", sha1, keys: keys, arguments: arguments))
  }

  /// Runs a script by its SHA-1, sending its text only when the server does not have it
  /// yet (`NOSCRIPT`), as go-redis's `Script.Run` does.
  @discardableResult
  public func runScript(_ script: String, keys: [String] = [], arguments: [any RESPArgument] = []) async throws(RedisError) -> RESPValue {
    do {
      return try await evalsha(Self.sha1(of: script), keys: keys, arguments: arguments)
    } catch .server(let error) where error.code == "NOSCRIPT" {
      return try await eval(script, keys: keys, arguments: arguments)
    }
  }

  /// The SHA-1 of a script's text, as `SCRIPT LOAD` and `EVALSHA` name it.
  public static func sha1(of script: String) -> String {
    Insecure.SHA1.hash(data: Array(script.utf8)).map { byte in
      let digits = String(byte, radix: 16)
      return byte < 16 ? "0" + digits : digits
    }.joined()
  }

  private static func scriptCommand(_ name: String, _ body: String, keys: [String], arguments: [any RESPArgument]) -> RedisCommand {
    var command = RedisCommand(name)
    command.argument(body)
    command.argument(keys.count)
    command.keys(keys)
    for argument in arguments { command.argument(AnyRESPArgument(argument)) }
    return command
  }

  /// `WAIT`: blocks until the writes of this connection reached `replicas` replicas, or
  /// `timeout` passed; returns how many did. Redis replicates asynchronously: a write is
  /// kept through a failover only when a replica has it (see the Redis docs in
  /// docs/redis.md).
  public func wait(replicas: Int, timeout: Duration, after command: RedisCommand) async throws(RedisError) -> (reply: RESPValue, replicas: Int) {
    var wait = RedisCommand("WAIT")
    wait.argument(replicas)
    wait.argument(Int64(timeout.redisNanoseconds / 1_000_000))
    // Same node, same connection: pipelined together.
    let results = await pipelineOnOneConnection([command, wait])
    let reply = try results[0].get()
    let count = try results[1].get()
    guard let confirmed = count.int else { throw .unexpectedReply(command: "WAIT", reply: count.brief) }
    return (reply, confirmed)
  }
}
