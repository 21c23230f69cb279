import NIOCore

/// Runs tasks on one event loop's thread, so a call read on that loop is handled and
/// answered there without waking another thread (SE-0417 task executor preference).
///
/// Handlers that prefer this executor must not block: a blocked handler stalls the
/// connections that share its event loop, exactly as a blocking channel handler would.
final class EventLoopTaskExecutor: TaskExecutor {
  let eventLoop: any EventLoop

  init(_ eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    eventLoop.execute {
      job.runSynchronously(on: self.asUnownedTaskExecutor())
    }
  }
}
