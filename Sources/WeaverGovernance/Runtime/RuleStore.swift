import Logging
import ServiceLifecycle
import Synchronization
import WeaverCore

/// The rules in force for one service. Calls read ``current`` when they start; a new rule
/// set is swapped in whole and applies to calls that start after it.
///
/// Rules arrive in layers, later ones winning field by field: code defaults (`base`) <
/// `service.yaml` (``RuleLayer/file``) < the config center (``RuleLayer/configCenter``) <
/// per-call options (``GovernanceCallOptions``). Each ``RuleSource`` feeds one layer; a
/// document that makes the whole contradictory is rejected, logged and counted, and the
/// rules in force stay.
///
/// ```swift
/// let rules = RuleStore(service: "FeedService", sources: [RuleFileWatcher(path: "service.yaml")])
/// // run `rules` in the service group; pass it to ClientGovernor / ServerGovernor
/// ```
public final class RuleStore: Service, Sendable {
  public let service: String
  public let base: MethodRules
  private let sources: [any RuleSource]
  private let events: GovernanceEvents
  private let state: Mutex<State>
  private let snapshot: Mutex<RuleSnapshot>

  private struct State {
    var documents: [RuleLayer: RuleDocument] = [:]
    var listeners: [UInt64: AsyncStream<RuleSet>.Continuation] = [:]
    var nextListener: UInt64 = 0
    var generation: UInt64 = 0
  }

  public init(service: String, base: MethodRules = MethodRules(), sources: [any RuleSource] = [], events: GovernanceEvents = GovernanceEvents()) {
    self.service = service
    self.base = base
    self.sources = sources
    self.events = events
    self.state = Mutex(State())
    // Code defaults alone can only be contradictory through a programming error.
    self.snapshot = Mutex(RuleSnapshot((try? RuleSet(service: service, base: base)) ?? RuleSet.unchecked(service: service, base: base)))
  }

  /// The rule set in force.
  public var current: RuleSet { snapshot.withLock { $0 }.ruleSet }

  /// The rule set in force, by reference (one retain, no copy): for the call path.
  var currentSnapshot: RuleSnapshot { snapshot.withLock { $0 } }

  /// Puts `document` in `layer` (nil removes the layer) if the result is valid; else
  /// throws and changes nothing.
  @discardableResult
  public func set(_ document: RuleDocument?, layer: RuleLayer) throws(RuleSetError) -> RuleSet {
    let (ruleSet, listeners) = try state.withLock { state throws(RuleSetError) -> (RuleSet, [AsyncStream<RuleSet>.Continuation]) in
      var documents = state.documents
      documents[layer] = document
      let ordered = documents.sorted { $0.key < $1.key }.map(\.value)
      var ruleSet = try RuleSet(service: service, base: base, documents: ordered)
      state.generation += 1
      ruleSet.generation = state.generation
      state.documents = documents
      snapshot.withLock { $0 = RuleSnapshot(ruleSet) }
      return (ruleSet, Array(state.listeners.values))
    }
    for listener in listeners { listener.yield(ruleSet) }
    return ruleSet
  }

  /// Applies a document from a source, logging and counting a rejection instead of
  /// throwing: the rules in force stay.
  public func apply(_ document: RuleDocument?, layer: RuleLayer, source: String) {
    do {
      try set(document, layer: layer)
      events.rulesApplied(service: service, source: source)
    } catch {
      events.rulesRejected(service: service, source: source, error: error)
    }
  }

  /// Every rule set swapped in from now on.
  public func updates() -> AsyncStream<RuleSet> {
    let (stream, continuation) = AsyncStream.makeStream(of: RuleSet.self, bufferingPolicy: .bufferingNewest(1))
    let id = state.withLock { state -> UInt64 in
      state.nextListener += 1
      state.listeners[state.nextListener] = continuation
      return state.nextListener
    }
    continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) } }
    return stream
  }

  /// Follows every source until cancelled or shut down.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      await withDiscardingTaskGroup { group in
        for source in self.sources {
          group.addTask {
            for await document in source.documents() {
              self.apply(document, layer: source.layer, source: source.name)
            }
          }
        }
      }
    }
    let listeners = state.withLock { state in
      defer { state.listeners = [:] }
      return Array(state.listeners.values)
    }
    for listener in listeners { listener.finish() }
  }
}

/// Where a layer of rules sits in precedence (higher wins).
public enum RuleLayer: Int, Sendable, Hashable, Comparable {
  /// `service.yaml` beside the service.
  case file = 1
  /// The config center, changed live.
  case configCenter = 2

  public static func < (lhs: RuleLayer, rhs: RuleLayer) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A source of rule documents for one layer: a watched file, the config center. It yields
/// each new valid document (nil when the source withdraws its rules), and logs and skips
/// versions that do not parse.
public protocol RuleSource: Sendable {
  var layer: RuleLayer { get }
  /// Named in logs (a path, `config-center`).
  var name: String { get }
  func documents() -> AsyncStream<RuleDocument?>
}

extension RuleSet {
  /// Code defaults without the checks (only when the checks themselves fail on them).
  static func unchecked(service: String, base: MethodRules) -> RuleSet {
    RuleSet(uncheckedService: service, serviceRules: base)
  }
}

/// A rule set as calls see it: shared, never copied.
final class RuleSnapshot: Sendable {
  let ruleSet: RuleSet

  init(_ ruleSet: RuleSet) {
    self.ruleSet = ruleSet
  }

  var generation: UInt64 { ruleSet.generation }

  func resolved(for method: String) -> ResolvedRules { ruleSet.resolved(for: method) }
}
