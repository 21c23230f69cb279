// `weaver-echo-server`: the benchmark echo service (`weaver bench serve-echo`) as its own
// small executable, the server the peer benchmark measures. It links the runtime
// (WeaverRPC) and the echo service only: no code generator, IDL front end, argument parser
// or full Foundation. Same defaults as `serve-echo`; prints "listening on HOST:PORT" once
// bound; SIGINT or SIGTERM shuts it down gracefully.
//
// The main thread does not run async `main`: it blocks SIGINT and SIGTERM (before any other
// thread exists, so every thread inherits the mask) and waits for them with `sigwait`.
// Both alternatives cost resident memory for nothing here: async `main` ends the main
// thread with `pthread_exit`, whose unwinding reads the binary's unwind tables, and
// `ServiceGroup`'s signal handling (Dispatch signal sources) about 1.3 MB of code. Nor does it
// run a `ServiceGroup` without signals: `ThriftServer.beginGracefulShutdown()` starts the
// drain directly, which keeps ServiceGroup's machinery out of the process (~1 MB resident).
import Logging
import NIOPosix
import WeaverBench
import WeaverRPC

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let options: EchoServerOptions
do {
  options = try EchoServerOptions(arguments: CommandLine.arguments.dropFirst())
} catch {
  writeLine("Error: \(error)\n\(EchoServerOptions.usage)", to: 2)
  exit(2)
}

var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGINT)
sigaddset(&stopSignals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
ProcessMemory.returnLargeBlocksToTheSystem()  // as `serve-echo` does

let logger = {
  var logger = Logger(label: "weaver.bench.echo")
  logger.logLevel = .warning
  return logger
}()
let group = options.threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? .singleton
let server = ThriftServer(
  serving: [EchoBenchService.thriftService],
  configuration: ThriftServerConfiguration(host: options.host, port: options.port, drainTimeout: .seconds(2)),
  eventLoopGroup: group, logger: logger)
let stopped = group.any().makePromise(of: Void.self)

// Detached: top-level code is on the main actor, whose thread waits below.
Task.detached {
  do {
    try await server.run()  // returns once the drain has closed every connection
    stopped.succeed()
  } catch {
    stopped.fail(error)
  }
}
Task.detached {
  guard let address = try? await server.localAddress else { return }  // a bind failure ends `server.run()`
  writeLine("listening on \(address.hostAndPort)")
}
Task.detached {
  _ = try? await stopped.futureResult.get()
  kill(getpid(), SIGTERM)  // the server stopped by itself (it failed): wake the main thread
}

var received: Int32 = 0
sigwait(&stopSignals, &received)
server.beginGracefulShutdown()
do {
  try stopped.futureResult.wait()
} catch {
  writeLine("Error: \(error)", to: 2)
  exit(1)
}
