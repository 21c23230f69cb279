import Synchronization
import WeaverBench
import WeaverCore
import WeaverRPC

/// Callers that call an echo server in a closed loop until stopped, recording how each call
/// ended: the load under which tests kill or drain a server.
final class EchoLoad: Sendable {
  struct Outcome: Sendable {
    var succeeded = 0
    /// Failed calls by error code (or type, for errors that are no ``RPCError``).
    var failures: [String: Int] = [:]
    /// The first message seen for each failure kind.
    var examples: [String: String] = [:]
    /// The longest a failed call took.
    var slowestFailure: Duration = .zero
    /// Calls that ended after ``EchoLoad/mark()``.
    var succeededSinceMark = 0
    var failedSinceMark = 0
  }

  let client: ThriftClient
  private let echo: EchoService.Client<ThriftClient>
  private let outcome = Mutex(Outcome())
  private let marked = Atomic<Bool>(false)
  private let stopped = Atomic<Bool>(false)

  init(client: ThriftClient) {
    self.client = client
    self.echo = EchoService.Client(channel: client)
  }

  var snapshot: Outcome { outcome.withLock { $0 } }

  /// From now on, ``Outcome/succeededSinceMark`` and ``Outcome/failedSinceMark`` count.
  func mark() { marked.store(true, ordering: .relaxed) }

  func stop() { stopped.store(true, ordering: .relaxed) }

  /// Runs `callers` callers until ``stop()``.
  func run(callers: Int) async {
    await withTaskGroup(of: Void.self) { group in
      for caller in 0..<callers {
        group.addTask { await self.call(as: caller) }
      }
    }
  }

  private func call(as caller: Int) async {
    let request = EchoRequest(message: "caller \(caller)")
    while !stopped.load(ordering: .relaxed) {
      let started = ContinuousClock.now
      let failure: String?
      var example = ""
      do {
        failure = try await echo.echo(req: request).message == request.message ? nil : "wrongReply"
      } catch let error as RPCError {
        failure = error.code.name
        example = error.message
      } catch {
        failure = "\(type(of: error))"
        example = "\(error)"
      }
      let took = started.duration(to: .now)
      let sinceMark = marked.load(ordering: .relaxed)
      outcome.withLock { outcome in
        if let failure {
          outcome.failures[failure, default: 0] += 1
          outcome.examples[failure] = example
          outcome.slowestFailure = max(outcome.slowestFailure, took)
          if sinceMark { outcome.failedSinceMark += 1 }
        } else {
          outcome.succeeded += 1
          if sinceMark { outcome.succeededSinceMark += 1 }
        }
      }
      // A call failing fast returns at once: pause like a caller would, so 32 failing
      // callers do not monopolise the test process's threads (other tests run beside).
      if failure != nil { try? await Task.sleep(for: .milliseconds(5)) }
    }
  }
}
