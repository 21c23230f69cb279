import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import WeaverCore

/// One HTTP/2 transport per instance a governed client may call: made when discovery
/// first names the instance, shut down gracefully when it stops naming it (calls in
/// flight finish). Each transport's `connect()` runs in the owning client's task group.
final class GRPCInstanceTransports: Sendable {
  typealias Transport = HTTP2ClientTransport.Posix

  private struct State {
    var transports: [Instance: Transport] = [:]
    /// Transports made and not yet handed to a running `connect()` loop.
    var unstarted: [Transport] = []
    var closed = false
  }

  private let state = Mutex(State())
  private let make: @Sendable (Instance) throws -> Transport

  init(make: @escaping @Sendable (Instance) throws -> Transport) {
    self.make = make
  }

  /// Brings the set up to date with `instances`; returns the transports to shut down.
  func update(_ instances: [Instance]) -> [Transport] {
    // Instances are compared by address: a weight or tag change keeps the connection.
    let wanted = Dictionary(instances.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
    return state.withLock { state in
      guard !state.closed else { return [] }
      var gone: [Transport] = []
      for (instance, transport) in state.transports where wanted[instance.address] == nil {
        state.transports[instance] = nil
        gone.append(transport)
      }
      let known = Set(state.transports.keys.map(\.address))
      for instance in wanted.values where !known.contains(instance.address) {
        guard let transport = try? make(instance) else { continue }
        state.transports[instance] = transport
        state.unstarted.append(transport)
      }
      return gone
    }
  }

  /// The transports made since the last call, whose `connect()` the caller now runs.
  func takeUnstarted() -> [Transport] {
    state.withLock { state in
      defer { state.unstarted = [] }
      return state.unstarted
    }
  }

  /// The transport of `instance`.
  func transport(for instance: Instance) throws(WeaverCore.RPCError) -> Transport {
    let found = state.withLock { state in
      state.transports[instance] ?? state.transports.first(where: { $0.key.address == instance.address })?.value
    }
    guard let found else { throw WeaverCore.RPCError(.unavailable, "no connection to \(instance) (it left discovery)") }
    return found
  }

  /// Stops making transports; returns every one to shut down.
  func close() -> [Transport] {
    state.withLock { state in
      state.closed = true
      defer { state.transports = [:] }
      return Array(state.transports.values)
    }
  }
}
