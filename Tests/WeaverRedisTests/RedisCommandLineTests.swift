import Foundation
import Testing
import WeaverTestSupport

@testable import WeaverRedis

/// `weaver bench redis` and the demo's cache, as a user runs them, against real servers.
@Suite(.serialized) struct RedisCommandLineTests {
  /// Runs `weaver` with `arguments` (and `environment` added); returns its exit status,
  /// standard output and standard error.
  static func weaver(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> (status: Int32, output: String, errors: String)
  {
    let process = Process()
    process.executableURL = ExternalTool.productsDirectory.appendingPathComponent("weaver")
    process.arguments = arguments
    process.currentDirectoryURL = ExternalTool.packageRoot
    // An empty value removes the variable.
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter { !$0.value.isEmpty }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    return try await ExternalTool.onOwnThread {
      let errorText = Thread.detachedRead(errors.fileHandleForReading)
      let data = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: data, as: UTF8.self), errorText.value)
    }
  }

  @Test func benchRedisDrivesAClusterAndReportsCommandsPerSecond() async throws {
    try await RedisTestServers.withCluster { servers async throws in
      let (status, output, errors) = try await Self.weaver([
        "bench", "redis", "--cluster", "127.0.0.1:\(servers.basePort)", "--clients", "4", "--pipeline", "8",
        "--duration", "1s", "--warmup", "200ms", "--keyspace", "1000", "--json",
      ])
      #expect(status == 0, "\(errors)")
      let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
      #expect(summary?["mode"] as? String == "cluster")
      #expect(summary?["pipeline"] as? Int == 8)
      let tests = summary?["tests"] as? [String: [String: Any]]
      for test in ["set", "get"] {
        #expect((tests?[test]?["calls"] as? Int ?? 0) > 0, "\(test)")
        #expect((tests?[test]?["errors"] as? [String: Int]) == [:], "\(test)")
        #expect(((summary?["commandsPerSecond"] as? [String: Double])?[test] ?? 0) > 0)
      }
      // The progress line went to standard error, as with the other weaver bench commands.
      #expect(errors.contains("SET [") && errors.contains("measuring]"))
      // The SETs landed on every primary (worker w keeps to primary w mod 3), with keys
      // shaped as redis-benchmark --cluster shapes them: key:{tag}:000000000123.
      let cluster = ClusterRoutingTests.client(servers)
      defer { cluster.shutdown() }
      for primary in try await cluster.primaryNodes() {
        #expect((try await cluster.execute(RedisCommand("DBSIZE"), on: primary).int ?? 0) > 0)
        let key = try await cluster.execute(RedisCommand("RANDOMKEY"), on: primary).string ?? ""
        #expect(key.wholeMatch(of: /key:\{[0-9a-zA-Z]+\}:[0-9]{12}/) != nil, "\(key)")
      }
    }
  }

  @Test func benchRedisExplainsWhatIsWrong() async throws {
    let neither = try await Self.weaver(["bench", "redis"])
    #expect(neither.status != 0)
    #expect(neither.errors.contains("give one of --cluster host:port or --server host:port"))
    let badTests = try await Self.weaver(["bench", "redis", "--server", "127.0.0.1:1", "--tests", "set,lpush"])
    #expect(badTests.errors.contains("--tests takes set and get, comma-separated; not lpush"))
    let nobody = try await Self.weaver(["bench", "redis", "--server", "127.0.0.1:1", "--duration", "1s"])
    #expect(nobody.status != 0)
    #expect(nobody.errors.contains("127.0.0.1:1"))
    #expect(nobody.errors.contains("redis-server --port 1"))
  }

  @Test func theDemoStoreCachesItsPagesInRedis() async throws {
    try await RedisTestServers.withStandalone { servers async throws in
      let (status, output, errors) = try await Self.weaver(
        ["demo", "tour"],
        environment: [
          "WEAVER_DEMO_REDIS": "127.0.0.1:\(servers.basePort)", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "",
        ])
      #expect(status == 0, "\(errors)")
      #expect(output.contains("Redis server at 127.0.0.1:\(servers.basePort): the store caches feed pages in it for 30 s."))
      #expect(output.contains("cache miss: weaver-demo:"))
      #expect(output.contains("cache hit: weaver-demo:"))
      #expect(output.contains("again → 2 posts, the same page"))
      #expect(output.contains("All steps succeeded."))
    }
  }

  @Test func theDemoStoreServesWhenItsRedisIsGone() async throws {
    let weaver = ExternalTool.productsDirectory.appendingPathComponent("weaver").path
    try await ExternalTool.withListeningProcess([weaver, "demo", "server", "--port", "0", "--redis", "127.0.0.1:1"], hint: "") { port in
      let (status, output, errors) = try await Self.weaver(["demo", "client", "--target", "127.0.0.1:\(port)"])
      #expect(status == 0, "\(errors)")
      #expect(output.contains("getFeed(viewer: 2, limit: 10) → 2 posts"))
      #expect(output.contains("again → 2 posts, the same page"))
    }
  }
}

extension Thread {
  /// Reads `handle` to its end on a thread of its own; `value` waits for the text.
  static func detachedRead(_ handle: FileHandle) -> DetachedRead {
    let read = DetachedRead()
    Thread.detachNewThread {
      let data = handle.readDataToEndOfFile()
      read.finish(String(decoding: data, as: UTF8.self))
    }
    return read
  }
}

/// Text read on another thread, waited for with a condition lock.
final class DetachedRead: @unchecked Sendable {
  private let condition = NSCondition()
  private var text: String?

  func finish(_ text: String) {
    condition.lock()
    self.text = text
    condition.broadcast()
    condition.unlock()
  }

  var value: String {
    condition.lock()
    defer { condition.unlock() }
    while text == nil { condition.wait() }
    return text!
  }
}
