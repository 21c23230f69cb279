import Foundation
import Synchronization
import Testing
import WeaverCore
import WeaverDiscovery
import WeaverGovernance
import WeaverRPC
import WeaverThrift

/// `service.yaml` changed while calls run: a valid version applies to the calls that start
/// after it, a broken one is rejected and the rules in force stay; no call fails either way.
@Suite struct LiveRulesTests {
  /// Counts the calls a server answered.
  final class Counting: ServerMiddleware {
    let count = Atomic<Int>(0)
    func intercept<Request: Sendable, Response: Sendable>(
      _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
    ) async throws -> Response {
      count.wrappingAdd(1, ordering: .relaxed)
      return try await next(request, context)
    }
  }

  final class LoadRecord: Sendable {
    let failures = Mutex<[String]>([])
    let stop = Atomic<Bool>(false)
  }

  @Test func rewritingTheRuleFileUnderLoadAppliesItAndABrokenOneLeavesTheOldRulesInForce() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-live-rules-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("service.yaml").path
    @Sendable func write(_ text: String) throws {
      // As editors and config tools do: a new file renamed over the old one.
      let temporary = path + ".tmp"
      try text.write(toFile: temporary, atomically: false, encoding: .utf8)
      _ = rename(temporary, path)
    }
    try write("routing:\n  releaseTag: {untaggedAvoidTagged: true}   # untagged calls stay off the canary\n")

    let counters = [Counting(), Counting(), Counting()]
    try await withServer(interopServices(), configuration: ThriftServerConfiguration(middlewares: [counters[0]])) { _, canaryPort in
      try await withServer(interopServices(), configuration: ThriftServerConfiguration(middlewares: [counters[1]])) { _, port1 in
        try await withServer(interopServices(), configuration: ThriftServerConfiguration(middlewares: [counters[2]])) { _, port2 in
          let log = RecordingLogHandler.Store()
          let events = GovernanceEvents(logger: RecordingLogHandler.logger(log))
          let store = RuleStore(
            service: "InteropService", sources: [RuleFileWatcher(path: path, interval: .milliseconds(20), events: events)], events: events)
          let following = Task { try await store.run() }
          defer { following.cancel() }
          #expect(await eventually { store.current.generation >= 1 }, "the first version is read")

          let instances = [
            Instance(host: "127.0.0.1", port: canaryPort, tags: ["release": "canary"]),
            Instance(host: "127.0.0.1", port: port1), Instance(host: "127.0.0.1", port: port2),
          ]
          let client = ThriftClient(resolver: StaticResolver(instances), governance: ClientGovernor(rules: store, events: events))
          defer { client.close() }
          let calls = InteropService.Client(channel: client)
          let record = LoadRecord()
          let load = Task {
            await withTaskGroup(of: Void.self) { group in
              for caller in 0..<8 {
                group.addTask {
                  while !record.stop.load(ordering: .relaxed) {
                    do { _ = try await calls.add(a: Int64(caller), b: 1) } catch { record.failures.withLock { $0.append("\(error)") } }
                  }
                }
              }
            }
          }
          #expect(await eventually { counters[1].count.load(ordering: .relaxed) + counters[2].count.load(ordering: .relaxed) > 500 })
          #expect(counters[0].count.load(ordering: .relaxed) == 0, "untagged calls avoid the canary")

          try write("routing:\n  releaseTag: {untaggedAvoidTagged: false}\n")
          #expect(await eventually { counters[0].count.load(ordering: .relaxed) > 200 }, "the new rule applies: the canary takes calls")
          let generation = store.current.generation

          try write("routing:\n  protectionThreshold: 150%\n")
          #expect(await eventually { log.contains("rules rejected") }, "the broken version is rejected: \(log.all.suffix(3))")
          #expect(log.contains("routing.protectionThreshold: 150% is not a percentage"))
          let canaryBefore = counters[0].count.load(ordering: .relaxed)
          #expect(await eventually { counters[0].count.load(ordering: .relaxed) > canaryBefore + 200 }, "the old rule stays in force")
          #expect(store.current.generation == generation)

          record.stop.store(true, ordering: .relaxed)
          await load.value
          let failures = record.failures.withLock { $0 }
          #expect(failures.isEmpty, "no call failed: \(failures.prefix(3))")
        }
      }
    }
  }
}
