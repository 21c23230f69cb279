import NIOCore

/// Runs tasks on one event loop's thread (SE-0417 task executor preference).
///
/// The server runs each call this way on its connection's event loop, so a call is read,
/// handled and answered without waking another thread. Clients can do the same: code that
/// prefers the event loop a ``ThriftClient`` connects on makes calls with no thread hops.
///
/// ```swift
/// let loop = MultiThreadedEventLoopGroup.singleton.next()
/// let client = try ThriftClient(addresses: ["127.0.0.1:9090"], eventLoopGroup: loop)
/// await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) { … calls … }
/// ```
///
/// Code that prefers this executor must not block: it would stall every connection on the
/// event loop, exactly as a blocking channel handler would.
public final class EventLoopTaskExecutor: TaskExecutor {
  public let eventLoop: any EventLoop

  public init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    eventLoop.execute {
      job.runSynchronously(on: self.asUnownedTaskExecutor())
    }
  }
}
