import Synchronization
import WeaverCore

/// The per-attempt stage of a client call: which instance this attempt goes to. A
/// transport asks once per attempt (a retry asks again), sends the attempt there, and
/// reports how it ended, which feeds load balancing and instance breakers.
///
/// ``ClientGovernor`` is the governed implementation (routing → load balancer → instance
/// breaker); ``RoundRobinSelector`` is the plain one.
public protocol InstanceSelector: Sendable {
  /// The instances discovery knows now; calls in flight keep the instance they have.
  func update(_ instances: [Instance])
  /// The instance for one attempt of the call `context` describes.
  func select(_ context: CallContext) throws(RPCError) -> InstanceSelection
}

/// One attempt's instance, and how to report the attempt's end.
public struct InstanceSelection: Sendable {
  public let instance: Instance
  private let onFinish: (@Sendable (CallOutcome) -> Void)?

  public init(instance: Instance, onFinish: (@Sendable (CallOutcome) -> Void)? = nil) {
    self.instance = instance
    self.onFinish = onFinish
  }

  /// Reports how the attempt ended; call exactly once.
  public func finish(_ outcome: CallOutcome) {
    onFinish?(outcome)
  }
}

/// Plain round robin over every instance, no rules: what a client without governance uses.
public final class RoundRobinSelector: InstanceSelector {
  private let instances = Mutex<[Instance]>([])
  private let next = Atomic<Int>(0)

  public init(_ instances: [Instance] = []) {
    self.instances.withLock { $0 = instances }
  }

  public func update(_ instances: [Instance]) {
    self.instances.withLock { $0 = instances }
  }

  public func select(_ context: CallContext) throws(RPCError) -> InstanceSelection {
    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
    let log = AttemptLog.of(context)
    let picked = instances.withLock { instances -> Instance? in
      let tried = log?.tried ?? []
      let untried = tried.isEmpty ? instances : instances.filter { !tried.contains($0) }
      let pool = untried.isEmpty ? instances : untried
      return pool.isEmpty ? nil : pool[abs(index % pool.count)]
    }
    guard let picked else { throw RPCError(.unavailable, "no instance of \(context.service) to call") }
    log?.record(picked)
    return InstanceSelection(instance: picked)
  }
}

/// The instances a call's attempts went to so far: the call stage opens a log and hands it
/// to each attempt in ``CallContext/attemptState``; the instance stage reads it to prefer
/// an instance not yet tried and adds its pick.
public final class AttemptLog: CallAttemptState {
  /// Most calls make one attempt: the first pick is kept apart from the rest, so logging it
  /// allocates nothing.
  private struct Tried {
    var first: Instance?
    var more: [Instance] = []
  }

  private let state = Mutex(Tried())
  /// The rules the call started under: every attempt uses them, whatever swaps meanwhile.
  public let rules: ResolvedRules?

  public init(rules: ResolvedRules? = nil) {
    self.rules = rules
  }

  /// The log `context` carries, if a call stage opened one.
  public static func of(_ context: CallContext) -> AttemptLog? {
    context.attemptState as? AttemptLog
  }

  /// The instances picked so far, in order.
  public var tried: [Instance] {
    state.withLock { tried in
      guard let first = tried.first else { return [] }
      return [first] + tried.more
    }
  }

  public func record(_ instance: Instance) {
    state.withLock { tried in
      if tried.first == nil { tried.first = instance } else { tried.more.append(instance) }
    }
  }
}
