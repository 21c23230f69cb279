import Synchronization
import WeaverCore
import WeaverDiscovery

/// A resolver a test drives: ``set(_:)`` changes the instances and every client following
/// it sees the change, as from a real discovery backend.
///
/// ```swift
/// let resolver = ScriptedResolver([a, b, c])
/// let client = ThriftClient(resolver: resolver)   // run it, then:
/// resolver.set([a, b])                            // c left discovery
/// ```
public final class ScriptedResolver: InstanceResolver {
  private struct State {
    var instances: [Instance]
    var listeners: [UInt64: AsyncThrowingStream<[Instance], any Error>.Continuation] = [:]
    var nextID: UInt64 = 0
  }

  private let state: Mutex<State>

  public init(_ instances: [Instance] = []) {
    state = Mutex(State(instances: instances))
  }

  /// The instances now.
  public var instances: [Instance] { state.withLock { $0.instances } }

  /// Replaces the instances; every follower gets the new set.
  public func set(_ instances: [Instance]) {
    let listeners = state.withLock { state in
      state.instances = instances
      return Array(state.listeners.values)
    }
    for listener in listeners { listener.yield(instances) }
  }

  /// Ends every follower's stream with `error` (a discovery backend that failed).
  public func fail(_ error: any Error) {
    let listeners = state.withLock { state in
      defer { state.listeners = [:] }
      return Array(state.listeners.values)
    }
    for listener in listeners { listener.finish(throwing: error) }
  }

  public func updates() -> AsyncThrowingStream<[Instance], any Error> {
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: [Instance].self, bufferingPolicy: .bufferingNewest(1))
    let id = state.withLock { state -> UInt64 in
      state.nextID += 1
      state.listeners[state.nextID] = continuation
      continuation.yield(state.instances)
      return state.nextID
    }
    continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.listeners.removeValue(forKey: id) } }
    return stream
  }
}
