import GRPCCore
import Synchronization
import WeaverCore

/// What one attempt's response stream showed: whether a message reached the caller (after
/// which the attempt is committed: never retried) and how the call ended.
final class AttemptObservation: Sendable {
  private struct State {
    var deliveredMessage = false
    var outcome: CallOutcome = .success
  }

  private let state = Mutex(State())

  var deliveredMessage: Bool { state.withLock { $0.deliveredMessage } }
  var outcome: CallOutcome { state.withLock { $0.outcome } }

  func sawMessage() { state.withLock { $0.deliveredMessage = true } }

  func ended(_ outcome: CallOutcome) { state.withLock { $0.outcome = outcome } }
}

/// A response stream passed through to the caller, noting messages and the final status.
struct ObservedInbound<Bytes: GRPCContiguousBytes & Sendable>: AsyncSequence, Sendable {
  typealias Element = RPCResponsePart<Bytes>
  let upstream: RPCAsyncSequence<RPCResponsePart<Bytes>, any Error>
  let observation: AttemptObservation

  struct AsyncIterator: AsyncIteratorProtocol {
    var upstream: RPCAsyncSequence<RPCResponsePart<Bytes>, any Error>.AsyncIterator
    let observation: AttemptObservation

    mutating func next() async throws -> RPCResponsePart<Bytes>? {
      do {
        let part = try await upstream.next()
        switch part {
        case .message: observation.sawMessage()
        case .status(let status, let metadata):
          if status.code != .ok, let error = GRPCCore.RPCError(status: status, metadata: metadata) {
            observation.ended(GRPCErrorMapping.outcome(of: error))
          }
        case .metadata, .none: break
        }
        return part
      } catch {
        observation.ended(GRPCErrorMapping.outcome(ofAny: error))
        throw error
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(upstream: upstream.makeAsyncIterator(), observation: observation)
  }
}

/// A request stream that adds a call's context (persistent keys, trace headers, deadline)
/// to the request's metadata on its way out.
struct ContextOutbound<Bytes: GRPCContiguousBytes & Sendable>: ClosableRPCWriterProtocol {
  typealias Element = RPCRequestPart<Bytes>
  let upstream: RPCWriter<RPCRequestPart<Bytes>>.Closable
  let context: CallContext

  func write(_ element: Element) async throws {
    try await upstream.write(stamped(element))
  }

  func write(contentsOf elements: some Sequence<Element>) async throws {
    try await upstream.write(contentsOf: elements.map(stamped))
  }

  func finish() async { await upstream.finish() }

  func finish(throwing error: any Error) async { await upstream.finish(throwing: error) }

  private func stamped(_ part: Element) -> Element {
    guard case .metadata(var metadata) = part else { return part }
    GRPCCallMetadata.write(context, into: &metadata)
    return .metadata(metadata)
  }
}
