import Synchronization
import WeaverCore
import WeaverGovernance
import WeaverTesting

/// Scripted instances behind a real ``ClientGovernor``, in virtual time: each call runs the
/// governor's call stage and instance stage; the picked instance's script says how long
/// the attempt takes and whether it fails. Calls run one after another, so a run replays
/// exactly.
final class SimulatedCluster: Sendable {
  /// What an instance does with an attempt at a given time.
  typealias Script = @Sendable (_ now: Duration) -> (latency: Duration, failure: RPCError.Code?)

  let time = SimulatedTime()
  let governor: ClientGovernor
  let rules: RuleStore
  private let scripts: Mutex<[Instance: Script]>
  private let stats = Mutex(Stats())

  struct Stats {
    var calls = 0
    var attempts = 0
    var failedCalls = 0
    var attemptsByInstance: [Instance: Int] = [:]
    var failures: [String: Int] = [:]
  }

  init(rulesYAML: String, instances: [Instance: Script], locality: Locality = Locality(), seed: UInt64 = 7) throws {
    rules = RuleStore(service: "Sim")
    try rules.set(RuleDocument(parsing: rulesYAML, file: "sim.yaml"), layer: .file)
    governor = ClientGovernor(rules: rules, locality: locality, time: time.source, random: GovernanceRandom(seed: seed))
    scripts = Mutex(instances)
    governor.update(Array(instances.keys).sorted { $0.port < $1.port })
  }

  var snapshot: Stats { stats.withLock { $0 } }

  func resetStats() { stats.withLock { $0 = Stats() } }

  /// Replaces an instance's script (it recovers, say).
  func script(_ instance: Instance, _ script: @escaping Script) {
    scripts.withLock { $0[instance] = script }
  }

  /// One call, with `metadata`; then `gap` of virtual time passes.
  @discardableResult
  func call(metadata: Metadata = Metadata(), gap: Duration = .milliseconds(10)) async -> RPCError.Code? {
    let context = CallContext(service: "Sim", method: "get", metadata: metadata)
    var failure: RPCError.Code?
    do {
      _ = try await governor.run("request", context: context) { (_: String, context: CallContext) async throws -> String in
        let selection = try self.governor.select(context)
        let script = self.scripts.withLock { $0[selection.instance] }
        let (latency, failure) = script?(self.time.now) ?? (.milliseconds(1), nil)
        self.time.advance(by: latency)
        self.stats.withLock {
          $0.attempts += 1
          $0.attemptsByInstance[selection.instance, default: 0] += 1
        }
        if let failure {
          selection.finish(.failure(failure))
          throw RPCError(failure, "scripted")
        }
        selection.finish(.success)
        return "reply"
      }
    } catch {
      failure = (error as? RPCError)?.code ?? .unknown
    }
    stats.withLock {
      $0.calls += 1
      if let failure {
        $0.failedCalls += 1
        $0.failures[failure.name, default: 0] += 1
      }
    }
    time.advance(by: gap)
    return failure
  }

  /// `count` calls.
  func run(_ count: Int, metadata: Metadata = Metadata(), gap: Duration = .milliseconds(10)) async {
    for _ in 0..<count { await call(metadata: metadata, gap: gap) }
  }
}

extension Instance {
  static func sim(_ port: Int, tags: [String: String] = [:], region: String? = nil, zone: String? = nil) -> Instance {
    Instance(host: "10.0.0.\(port % 250)", port: port, region: region, zone: zone, tags: tags)
  }
}

/// Scripts.
enum Scripts {
  static let healthy: SimulatedCluster.Script = { _ in (.milliseconds(2), nil) }
  static func failing(_ code: RPCError.Code) -> SimulatedCluster.Script { { _ in (.milliseconds(1), code) } }
  /// Fails with `code` from `start` until `end`, healthy otherwise.
  static func failing(_ code: RPCError.Code, from start: Duration, until end: Duration) -> SimulatedCluster.Script {
    { now in now >= start && now < end ? (.milliseconds(1), code) : (.milliseconds(2), nil) }
  }
}
